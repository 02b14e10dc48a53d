using System;
using System.Linq;
using BenchmarkDotNet.Running;
using SmartKey.Benchmarks;

Console.WriteLine("SmartKey benchmarks (host " + Environment.Version + ", " + Environment.ProcessorCount + " cores)");
Console.WriteLine();
if (args.Length > 0 && args[0] == "fleet")
{
    // Issue 15: `fleet [locks] [image KB] [replica counts, e.g. 1,2,3]`; it starts PostgreSQL, mosquitto and the replicas itself.
    int locks = args.Length > 1 ? int.Parse(args[1]) : 10_000;
    int imageKb = args.Length > 2 ? int.Parse(args[2]) : 1024;
    int[] replicas = args.Length > 3 ? args[3].Split(',').Select(int.Parse).ToArray() : new[] { 1, 2, 3 };
    SmartKey.Benchmarks.FleetScale.FleetScaleFigures.Run(locks, imageKb, replicas);
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
