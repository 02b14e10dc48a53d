using System;
using System.Collections.Generic;
using System.Diagnostics;
using SmartKey.Firmware.Crypto;

namespace SmartKey.Benchmarks;

/// <summary>One measured operation: counts from CryptoCounters, allocation after warm-up, time vs a .NET reference.</summary>
public sealed class Report
{
    private readonly List<string[]> _rows = new();

    public void Measure(string name, Action operation, Action? reference, string goal, Func<long>? extraCount = null, string extraName = "")
    {
        for (int i = 0; i < 3; i++) operation();             // warm-up: JIT, lazy tables, first-use buffers
        CryptoCounters.Reset();
        long extraBefore = extraCount?.Invoke() ?? 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        operation();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long mul = CryptoCounters.FieldMultiplications, sqr = CryptoCounters.FieldSquarings, sha = CryptoCounters.Sha256Compressions;
        long extra = (extraCount?.Invoke() ?? 0) - extraBefore;

        double ours = Time(operation);
        double theirs = reference == null ? double.NaN : Time(reference);
        _rows.Add(new[]
        {
            name, mul.ToString(), sqr.ToString(), (mul + sqr).ToString(), sha.ToString(),
            extraCount == null ? "" : extra + " " + extraName, allocated.ToString(),
            ours.ToString("F1"), double.IsNaN(theirs) ? "" : theirs.ToString("F1"),
            double.IsNaN(theirs) ? "" : (ours / theirs).ToString("F0") + "x", goal,
        });
    }

    private static double Time(Action action)
    {
        int iterations = 1;
        var sw = Stopwatch.StartNew();
        action();
        double once = sw.Elapsed.TotalMilliseconds;
        iterations = (int)Math.Clamp(200 / Math.Max(once, 0.001), 5, 20000);
        sw.Restart();
        for (int i = 0; i < iterations; i++) action();
        return sw.Elapsed.TotalMilliseconds * 1000 / iterations;
    }

    public void Print()
    {
        string[] header = { "operation", "field mul", "field sqr", "mul+sqr", "SHA-256 blocks", "other", "bytes alloc", "host µs", ".NET µs", "ratio", "goal" };
        var widths = new int[header.Length];
        foreach (var row in new List<string[]>(_rows) { header })
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        Console.WriteLine(Line(header, widths));
        Console.WriteLine(Line(Array.ConvertAll(widths, w => new string('-', w)), widths));
        foreach (var row in _rows) Console.WriteLine(Line(row, widths));
    }

    private static string Line(string[] cells, int[] widths)
    {
        var parts = new string[cells.Length];
        for (int i = 0; i < cells.Length; i++) parts[i] = i == 0 || i == cells.Length - 1 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]);
        return string.Join(" | ", parts);
    }
}
