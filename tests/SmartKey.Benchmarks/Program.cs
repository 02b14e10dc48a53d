using System;
using System.Linq;
using BenchmarkDotNet.Running;
using SmartKey.Benchmarks;

if (args.Contains("silent-connection"))
{
    DeviceFigures.SilentConnectionAttack();      // just issue 11's attack figure
    return;
}

Console.WriteLine("SmartKey benchmarks (host " + Environment.Version + ", " + Environment.ProcessorCount + " cores)");
Console.WriteLine();
Console.WriteLine("Crypto (issue 3): counts are exact and what the interpreter pays for; times are this host's.");
CryptoFigures.Run();
DeviceFigures.Protocol();
DeviceFigures.Storage();
DeviceFigures.BatteryLife();
OtaFigures.Run();
TelemetryFigures.Run();
if (args.Contains("bdn") || args.Contains("--bdn"))
    BenchmarkRunner.Run<BdnBenchmarks>();
