using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SmartKey.Benchmarks.IlMeter;

/// <summary>
/// `dotnet run -c Release --project tests/SmartKey.Benchmarks -- il`: IL opcodes executed per operation,
/// counted on instrumented copies of the host Release build of the portable assemblies. One line per
/// operation: `IL name count`, then the interpreter's own count of the same operation on the same inputs
/// (`nanoCLR n (+d %)`, InterpreterFigures; "-" where it has none), the ESP32 estimate and the operation counts.
/// Without the interpreter toolkit it says so once and prints the meter's figures alone.
/// </summary>
public static class IlMeterRun
{
    /// <summary>µs per IL opcode on the ESP32 (public nanoFramework loop timings; an estimate).</summary>
    public const double FastMicroseconds = 0.23, SlowMicroseconds = 0.84;

    public static Dictionary<string, long> Run(bool print)
    {
        var context = new MeteredLoadContext(AppContext.BaseDirectory);
        var driver = context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "SmartKey.Benchmarks.dll"));
        var all = (List<KeyValuePair<string, Func<Action>>>)driver.GetType(typeof(MeteredOperations).FullName!)!
            .GetMethod(nameof(MeteredOperations.All))!.Invoke(null, null)!;
        var results = new Dictionary<string, long>();
        var lines = new List<(string Name, long Il, string Tail)>();
        foreach (var (name, build) in all)
        {
            build()();                       // warm-up: static constructors, first-use buffers
            Action operation = build();
            ResetCounters(context);
            long before = context.Executed();
            operation();
            long il = context.Executed() - before;
            results[name] = il;
            long mul = Counter(context, "FieldMultiplications"), sqr = Counter(context, "FieldSquarings"), sha = Counter(context, "Sha256Compressions");
            lines.Add((name, il, string.Format(CultureInfo.InvariantCulture, "# ESP32 {0}–{1}  mul+sqr {2} ({3}+{4})  sha256-blocks {5}",
                Time(il * FastMicroseconds), Time(il * SlowMicroseconds), mul + sqr, mul, sqr, sha)));
        }

        InterpreterFigures.Counts? interpreter = null;
        if (print)
        {
            interpreter = InterpreterFigures.Run(out string whyNot);
            Console.WriteLine(interpreter == null
                ? "nanoCLR: no interpreter figures (" + whyNot + "): the meter's alone"
                : "nanoCLR: the interpreter's own opcode counter on the same operations and inputs (drift = nanoCLR / meter - 1)"
                  + (whyNot.Length > 0 ? "; " + whyNot : ""));
            foreach (var (name, il, tail) in lines)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "IL {0} {1}  {2}  {3}", name, il, Beside(interpreter, name, il), tail));
        }

        long Driver(string field) => (long)driver.GetType(typeof(MeteredOperations).FullName!)!.GetField(field)!.GetValue(null)!;
        long steps = Driver(nameof(MeteredOperations.OtaVerifySteps));
        var derived = new[]
        {
            ("pairing-worst-step", Driver(nameof(MeteredOperations.WorstStepIl)), "the longest main-loop turn spent on pairing"),
            ("ota-chunk-max", Driver(nameof(MeteredOperations.OtaChunkMaxIl)), "the largest UpdateAgent.Chunk call of ota-update-64k but the last (4 KB chunks: a block's hash, fingerprint, two records, the slot write)"),
            ("ota-last-chunk", Driver(nameof(MeteredOperations.OtaLastChunkIl)), "the last Chunk call: its block, the Verifying record, the final hash, TLV checks and key hash"),
            ("ota-verify-step-max", Driver(nameof(MeteredOperations.OtaVerifyStepMaxIl)), "the largest UpdateAgent.Poll step of the signature check"),
            ("ota-verify", Driver(nameof(MeteredOperations.OtaVerifyIl)), "the signature check in all, in " + steps + " Poll steps"),
        };
        foreach (var (name, il, what) in derived)
        {
            results[name] = il;
            if (print)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "IL {0} {1}  # ESP32 {2}–{3}  {4}",
                    name, il, Time(il * FastMicroseconds), Time(il * SlowMicroseconds), what));
        }

        results["ota-verify-steps"] = steps;
        return results;
    }

    /// <summary>"nanoCLR n (+d.dd %)", or "nanoCLR -" where the interpreter has no figure for the operation.</summary>
    private static string Beside(InterpreterFigures.Counts? interpreter, string name, long meter)
    {
        if (interpreter == null) return "";
        if (!interpreter.Il.TryGetValue(name, out long il)) return "nanoCLR -";
        double drift = meter == 0 ? 0 : (il - meter) * 100.0 / meter;
        return string.Format(CultureInfo.InvariantCulture, "nanoCLR {0} ({1:+0.00;-0.00;0.00} %){2}{3}", il, drift,
            interpreter.Failed.Contains(name) ? " WRONG RESULT on the interpreter" : "",
            InterpreterFigures.ManagedThere.Contains(name) ? " (AES and HMAC managed there: nanoCLR for Linux has no native ones; the meter counts them as native calls)" : "");
    }

    private static void ResetCounters(MeteredLoadContext context)
    {
        var type = context.LoadFromAssemblyName(new System.Reflection.AssemblyName("SmartKey.Firmware")).GetType("SmartKey.Firmware.Crypto.CryptoCounters")!;
        type.GetMethod("Reset")!.Invoke(null, null);
    }

    private static long Counter(MeteredLoadContext context, string field)
    {
        return context.FirmwareStatic("SmartKey.Firmware.Crypto.CryptoCounters", field);
    }

    private static string Time(double microseconds)
    {
        if (microseconds < 1000) return microseconds.ToString("F0", CultureInfo.InvariantCulture) + " µs";
        if (microseconds < 1_000_000) return (microseconds / 1000).ToString("F1", CultureInfo.InvariantCulture) + " ms";
        return (microseconds / 1_000_000).ToString("F2", CultureInfo.InvariantCulture) + " s";
    }
}
