using System;
using System.IO;
using SmartKey.Firmware.Config;

namespace SmartKey.Simulator;

/// <summary>nf.config as the simulator reads it: the embedded copy of the repository's file, or one given on the command line.</summary>
public static class EmbeddedConfig
{
    public static string Text()
    {
        using var stream = typeof(EmbeddedConfig).Assembly.GetManifestResourceStream("nf.config")
            ?? throw new InvalidOperationException("nf.config is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static DeviceConfig Load(string? path = null)
    {
        string text = path == null ? Text() : File.ReadAllText(path);
        if (!DeviceConfig.TryParse(text, out var config, out var error))
            throw new InvalidDataException(error.ToString());
        return config;
    }
}
