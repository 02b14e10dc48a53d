using System;
using System.Linq;
using BenchmarkDotNet.Running;
using SmartKey.Benchmarks;

if (args.Contains("docs"))
{
    // Writes the figures docs/crypto.md and docs/ota.md quote (DocFiguresTests checks them).
    foreach (string doc in new[] { "crypto.md", "ota.md" })
    {
        string path = System.IO.Path.Combine(SmartKey.Tests.RepoPaths.Root, "docs", doc);
        string text = System.IO.File.ReadAllText(path);
        string written = SmartKey.Tests.Docs.DocFigures.Rewrite(doc, text);
        System.IO.File.WriteAllText(path, written);
        Console.WriteLine((written == text ? "up to date: " : "updated: ") + path);
    }

    return;
}

if (args.Length == 3 && args[0] == "il-list")
{
    SmartKey.Benchmarks.IlMeter.IlListing.Print(args[1], args[2]);
    return;
}

if (args.Contains("il"))
{
    Console.WriteLine("IL meter: opcodes executed on instrumented copies of the portable assemblies (ESP32 at 0.23–0.84 µs per IL)");
    SmartKey.Benchmarks.IlMeter.IlMeterRun.Run(print: true);
    return;
}

if (args.Contains("silent-connection"))
{
    DeviceFigures.SilentConnectionAttack();      // just issue 11's attack figure
    return;
}

Console.WriteLine("SmartKey benchmarks (host " + Environment.Version + ", " + Environment.ProcessorCount + " cores)");
Console.WriteLine();
if (args.Length > 0 && args[0] == "fleet")
{
    // Issue 15: `fleet [locks] [image KB] [replica counts, e.g. 1,2,3] [seconds per simulated day]`; it starts PostgreSQL, mosquitto and the replicas itself.
    int locks = args.Length > 1 ? int.Parse(args[1]) : 10_000;
    int imageKb = args.Length > 2 ? int.Parse(args[2]) : 1024;
    int[] replicas = args.Length > 3 ? args[3].Split(',').Select(int.Parse).ToArray() : new[] { 1, 2, 3 };
    double daySeconds = args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : Math.Max(4, locks / 200.0);
    SmartKey.Benchmarks.FleetScale.FleetScaleFigures.Run(locks, imageKb, replicas, daySeconds);
    return;
}

Console.WriteLine("Crypto (issue 3): counts are exact and what the interpreter pays for; times are this host's.");
CryptoFigures.Run();
DeviceFigures.Protocol();
DeviceFigures.Storage();
DeviceFigures.BatteryLife();
OtaFigures.Run();
TelemetryFigures.Run();
if (args.Contains("bdn") || args.Contains("--bdn"))
    BenchmarkRunner.Run<BdnBenchmarks>();
