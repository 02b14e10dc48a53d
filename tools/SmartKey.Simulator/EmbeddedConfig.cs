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

    /// <summary>The given file, else $SMARTKEY_NF_CONFIG, else the embedded copy.</summary>
    public static DeviceConfig Load(string? path = null)
    {
        path = SmartKey.Tools.NfConfigFile.Chosen(path);
        string text;
        try
        {
            text = path == null ? Text() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SmartKey.Tools.UsageError($"cannot read the config {path}: {e.Message} (give an nf.config file with --config, or leave --config out for the built-in one)");
        }

        if (!DeviceConfig.TryParse(text, out var config, out var error))
        {
            if (path == null) throw new InvalidDataException("the embedded nf.config does not parse: " + error);
            throw new SmartKey.Tools.UsageError($"{path}{(error.Line > 0 ? " line " + error.Line : "")}: {error.Message} (fix the file; the repository's nf.config shows every key)");
        }

        return config;
    }
}
