using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace SmartKey.Benchmarks.IlMeter;

/// <summary>
/// An isolated load context holding instrumented copies of the portable assemblies (SmartKey.Firmware,
/// SmartKey.Hal), plain copies of the simulated hal and of this benchmark assembly (the drivers of the
/// operations, bound to the instrumented copies), and the base library shared with the host.
/// </summary>
public sealed class MeteredLoadContext : AssemblyLoadContext
{
    public static readonly string[] Portable = { "SmartKey.Firmware", "SmartKey.Hal" };
    private static readonly string[] Plain = { "SmartKey.Hal.Simulated", "SmartKey.Benchmarks" };

    private readonly string _directory;
    private readonly Dictionary<string, Assembly> _loaded = new();

    public MeteredLoadContext(string directory) : base("il-meter", isCollectible: false)
    {
        _directory = directory;
    }

    protected override Assembly? Load(AssemblyName name)
    {
        string simple = name.Name ?? "";
        if (_loaded.TryGetValue(simple, out var loaded)) return loaded;
        string path = Path.Combine(_directory, simple + ".dll");
        Assembly? assembly = null;
        if (Array.IndexOf(Portable, simple) >= 0)
        {
            assembly = LoadFromStream(new MemoryStream(BasicBlockInstrumenter.Instrument(path)));
        }
        else if (Array.IndexOf(Plain, simple) >= 0)
        {
            assembly = LoadFromAssemblyPath(path);
        }

        if (assembly != null) _loaded[simple] = assembly;
        return assembly;
    }

    /// <summary>IL executed so far in every instrumented assembly loaded.</summary>
    public long Executed()
    {
        long total = 0;
        foreach (string simple in Portable)
        {
            if (!_loaded.TryGetValue(simple, out var assembly)) continue;
            var field = assembly.GetType(BasicBlockInstrumenter.CounterTypeName)!.GetField(BasicBlockInstrumenter.CounterFieldName)!;
            total += (long)field.GetValue(null)!;
        }

        return total;
    }

    /// <summary>The instrumented firmware's own operation counters (field mul, sqr, SHA-256 compressions).</summary>
    public long FirmwareStatic(string type, string field)
    {
        var assembly = LoadFromAssemblyName(new AssemblyName("SmartKey.Firmware"));
        return (long)assembly.GetType(type)!.GetField(field)!.GetValue(null)!;
    }
}
