using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace SmartKey.Tests.DeviceLane;

/// <summary>
/// One run of the device lane, made once per test process on first use: builds the hal interfaces, the firmware rooms
/// and tests/NFUnitTest (with the repository files it reads, LaneFileSources) for the device with the toolkit, in a
/// temporary folder, and runs the on-target tests on nanoCLR through nanoFramework's UnitTestLauncher. The interpreter
/// runs on one core, so the tests go to two NFUnitTest assemblies run side by side: the classes in OwnShard, and every
/// other class (a new test class joins the second by itself). The results are the launcher's own lines, one or more
/// per test ("Test passed,Namespace.Class.Method.0,..."); the exit code alone proves nothing (an unhandled exception
/// ends the interpreter with 0).
/// </summary>
public sealed class DeviceLaneRun
{
    /// <summary>
    /// The interpreter's time limit per shard (run-tests --timeout), against a hung interpreter: a shard is 25–40 s of
    /// one core; the limit leaves room for a machine shared with other work.
    /// </summary>
    public const int TimeoutSeconds = 480;

    /// <summary>Test classes (by source file) run in a shard of their own: the Wycheproof ECDH vectors, the heaviest.</summary>
    public static readonly string[] OwnShard = { "WycheproofAgreementTests.cs" };

    private static readonly Lazy<DeviceLaneRun> Lazy = new(() => new DeviceLaneRun(NanoClrToolkit.Require()));
    private static readonly Regex ResultLine = new(@"^Test (passed|failed|skipped),([^,]+)\.(\d+),(.*)$", RegexOptions.Compiled);

    private readonly Dictionary<string, List<(string Outcome, string Detail)>> _results = new(StringComparer.Ordinal);

    public static DeviceLaneRun Shared => Lazy.Value;

    /// <summary>Set to 1 to keep the lane's folder (sources, assemblies, the interpreter's output.txt) for a look afterwards.</summary>
    public const string KeepVariable = "SMARTKEY_DEVICE_LANE_KEEP";

    public ProcessResult Run { get; } = null!;

    /// <summary>The lane's temporary folder (deleted after the run unless KeepVariable is 1).</summary>
    public string WorkDir { get; } = "";

    /// <summary>From the start of the build to the end of the slower shard's run.</summary>
    public TimeSpan Elapsed { get; }

    private DeviceLaneRun(string toolkit)
    {
        var started = DateTime.UtcNow;
        var build = new NanoClrBuild(toolkit, NanoClrBuild.NewWorkDir("device-lane"));
        try
        {
            var (hal, firmware) = build.BuildCore();
            var (data, laneFiles) = LaneFileSources.Generate(LaneFileSources.Files());
            var dataAssemblies = new string[data.Count];
            Parallel.For(0, data.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                string source = Path.Combine(build.WorkDir, data[i].Assembly + ".cs");
                File.WriteAllText(source, data[i].Source);
                dataAssemblies[i] = build.Compile(data[i].Assembly, new[] { source }, Array.Empty<string>());
            });
            string generated = Path.Combine(build.WorkDir, "LaneFiles.Generated.cs");
            File.WriteAllText(generated, laneFiles);
            var sources = DeviceProjects.Sources(DeviceProjects.Tests);
            bool IsTestClass(string file) => File.ReadAllText(file).Contains("[TestClass]", StringComparison.Ordinal);
            bool Own(string file) => OwnShard.Contains(Path.GetFileName(file), StringComparer.Ordinal);
            var shards = new[]
            {
                sources.Where(f => !IsTestClass(f) || Own(f)).ToList(),
                sources.Where(f => !IsTestClass(f) || !Own(f)).ToList(),
            };
            var references = DeviceProjects.CoreLibraries.Concat(DeviceProjects.TestLibraries).Append(hal).Append(firmware).Concat(dataAssemblies).ToList();
            var runs = new ProcessResult[shards.Length];
            Parallel.For(0, shards.Length, new ParallelOptions { MaxDegreeOfParallelism = shards.Length }, i =>
            {
                // Each shard's assembly must be named NFUnitTest (the launcher loads it by that name): one folder each.
                var shard = new NanoClrBuild(toolkit, Path.Combine(build.WorkDir, "shard" + i));
                string tests = shard.Compile("NFUnitTest", shards[i].Append(generated), references);
                runs[i] = shard.RunOnInterpreter(new[] { tests, firmware, hal }.Concat(dataAssemblies), TimeoutSeconds, unitTest: true);
            });
            Elapsed = DateTime.UtcNow - started;
            Run = new ProcessResult(runs.Max(r => r.ExitCode), string.Concat(runs.Select(r => r.StandardOutput)),
                string.Concat(runs.Select(r => r.StandardError)), TimeSpan.FromTicks(runs.Max(r => r.Elapsed.Ticks)));
            foreach (string line in Run.StandardOutput.Split('\n'))
            {
                var m = ResultLine.Match(line.TrimEnd('\r'));
                if (!m.Success) continue;
                if (!_results.TryGetValue(m.Groups[2].Value, out var list)) _results[m.Groups[2].Value] = list = new();
                list.Add((m.Groups[1].Value, m.Groups[4].Value));
            }
        }
        finally
        {
            WorkDir = build.WorkDir;
            if (Environment.GetEnvironmentVariable(KeepVariable) != "1")
            {
                try { Directory.Delete(build.WorkDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            else if (Run != null)
            {
                File.WriteAllText(Path.Combine(build.WorkDir, "output.txt"), Run.Output);
            }
        }
    }

    /// <summary>The launcher's lines for one test ("Namespace.Class.Method"): outcome (passed, failed, skipped) and the rest of the line.</summary>
    public IReadOnlyList<(string Outcome, string Detail)> ResultsOf(string test) =>
        _results.TryGetValue(test, out var list) ? list : (IReadOnlyList<(string, string)>)Array.Empty<(string, string)>();

    /// <summary>The end of the interpreter's output, for a failure message.</summary>
    public string Tail(int lines = 15) =>
        string.Join("\n", Run.Output.Split('\n').Where(l => l.Length > 0).TakeLast(lines));
}
