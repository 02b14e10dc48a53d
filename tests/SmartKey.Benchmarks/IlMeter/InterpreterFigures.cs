using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SmartKey.Tests;
using SmartKey.Tests.DeviceLane;

namespace SmartKey.Benchmarks.IlMeter;

/// <summary>
/// The interpreter's own count of the metered operations: builds the portable core and Interpreter/OnInterpreter.cs
/// for the device with the device lane's machinery (NanoClrBuild, LaneFileSources, in a temporary folder), runs it on
/// the toolkit's counting nanoCLR, and takes the differences between its NFBENCH lines ("@@begin name" / "@@end name"),
/// less the markers' own cost ("calibrate"). An operation whose result was wrong on the interpreter keeps its count
/// and is named in Failed (its count is of a wrong run). Null, with the reason, when there is no toolkit.
/// </summary>
public static class InterpreterFigures
{
    public sealed record Counts(Dictionary<string, long> Il, HashSet<string> Failed);

    /// <summary>Operations whose AES and HMAC run managed on the interpreter (no native ones on Linux), so its count is not the meter's.</summary>
    public static readonly string[] ManagedThere = { "unlock-device" };

    private static readonly Regex Bench = new(@"^NFBENCH @@(begin|end) (\S+) il=(\d+) ns=(\d+)", RegexOptions.Compiled);

    public static Counts? Run(out string whyNot)
    {
        string? toolkit = NanoClrToolkit.Root;
        if (toolkit == null)
        {
            whyNot = NanoClrToolkit.WhyMissing;
            return null;
        }

        var build = new NanoClrBuild(toolkit, NanoClrBuild.NewWorkDir("interpreter-figures"));
        try
        {
            var (hal, firmware) = build.BuildCore();
            var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (string operation in MeteredInputs.Shared) files[operation] = MeteredInputs.Packed(operation);
            var (data, body) = LaneFileSources.Generate(files, "SmartKey.Benchmarks.Interpreter", "InterpreterFiles", "SmartKey.BenchData");
            var dataAssemblies = new List<string>();
            foreach (var (assembly, source) in data)
            {
                string path = Path.Combine(build.WorkDir, assembly + ".cs");
                File.WriteAllText(path, source);
                dataAssemblies.Add(build.Compile(assembly, new[] { path }, Array.Empty<string>()));
            }

            string generated = Path.Combine(build.WorkDir, "InterpreterFiles.Generated.cs");
            File.WriteAllText(generated, body);
            string folder = Path.Combine(RepoPaths.Root, "tests", "SmartKey.Benchmarks", "Interpreter");
            var sources = Directory.GetFiles(folder, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
                .Append(Path.Combine(RepoPaths.Root, "tests", "NFUnitTest", "Hal", "ManagedAesBlock.cs"))   // unlock-device: no native AES on Linux
                .Append(generated);
            string program = build.Compile("OnInterpreter", sources, DeviceProjects.CoreLibraries.Append(hal).Append(firmware).Concat(dataAssemblies), executable: true);
            var run = build.RunOnInterpreter(new[] { program, firmware, hal }.Concat(dataAssemblies), 600, unitTest: false, expect: "done");
            if (run.ExitCode != 0)
            {
                whyNot = "the interpreter run failed (exit " + run.ExitCode + "): " + string.Join(" | ", run.Output.Split('\n').Where(l => l.Length > 0).TakeLast(5));
                return null;
            }

            var begins = new Dictionary<string, long>();
            var counts = new Dictionary<string, long>();
            foreach (string line in run.StandardError.Split('\n').Concat(run.StandardOutput.Split('\n')))
            {
                var m = Bench.Match(line.Trim());
                if (!m.Success) continue;
                long il = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                if (m.Groups[1].Value == "begin") begins[m.Groups[2].Value] = il;
                else if (begins.TryGetValue(m.Groups[2].Value, out long start)) counts[m.Groups[2].Value] = il - start;
            }

            if (!counts.TryGetValue("calibrate", out long markers))
            {
                whyNot = "no NFBENCH lines: is this the counting build of nanoCLR?";
                return null;
            }

            var result = new Dictionary<string, long>();
            foreach (var (name, il) in counts)
                if (name != "calibrate") result[name] = il - markers;
            var failed = run.StandardOutput.Split('\n').Where(l => l.StartsWith("failed ", StringComparison.Ordinal)).Select(l => l["failed ".Length..].Trim()).ToHashSet();
            whyNot = failed.Count > 0 ? "wrong results on the interpreter: " + string.Join(", ", failed) : "";
            return new Counts(result, failed);
        }
        finally
        {
            try { Directory.Delete(build.WorkDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
