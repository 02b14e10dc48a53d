using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using SmartKey.OtaServer.Tests.Fixtures;

namespace SmartKey.OtaServer.Tests.Trial;

/// <summary>
/// docs/ota-server.md "Trying the OTA server", run once as written: its sh blocks, in order, as one bash script in a
/// temporary home (so `~/smartkey-trial` is a temporary folder), with a free port for the doc's broker port 1884 and
/// its API port 5080. The install step installs into a temporary tool path (SMARTKEY_TOOL_PATH, which the script
/// honours) from the Debug build the tests already have; the tools are then found on PATH as a person finds them.
/// </summary>
public sealed class OperatorTrial : IDisposable
{
    public const string Section = "## Trying the OTA server";

    public OperatorTrial()
    {
        Repository = FindRepository();
        Directory = System.IO.Directory.CreateTempSubdirectory("smartkey-trial-test-").FullName;
        Home = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "home")).FullName;
        ToolPath = Path.Combine(Directory, "tools");
        BrokerPort = Broker.FreePort();
        ApiPort = Broker.FreePort();
        Blocks = Steps(File.ReadAllText(Path.Combine(Repository, "docs", "ota-server.md")));
        string script = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" +
            string.Join("\n", Blocks.Select(b => b.Replace("1884", BrokerPort.ToString()).Replace("5080", ApiPort.ToString())));
        File.WriteAllText(Path.Combine(Directory, "trial.sh"), script);
        (Exit, Output) = Run("bash", new[] { Path.Combine(Directory, "trial.sh") }, Repository, TimeSpan.FromMinutes(12));
    }

    public string Repository { get; }
    public string Directory { get; }
    public string Home { get; }
    public string ToolPath { get; }
    public string TrialFolder => Path.Combine(Home, "smartkey-trial");
    public int BrokerPort { get; }
    public int ApiPort { get; }
    public IReadOnlyList<string> Blocks { get; }
    public int Exit { get; }
    public string Output { get; }

    /// <summary>The sh blocks of the doc's trial section, in order.</summary>
    public static IReadOnlyList<string> Steps(string doc)
    {
        int start = doc.IndexOf(Section + "\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException("docs/ota-server.md has no section '" + Section + "'");
        int end = doc.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        string section = end < 0 ? doc[start..] : doc[start..end];
        return Regex.Matches(section, "```sh\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>Runs an installed tool (by its command name on the trial's PATH) in a working directory.</summary>
    public (int exit, string output) Tool(string workingDirectory, IDictionary<string, string>? environment, params string[] args) =>
        Run(Path.Combine(ToolPath, args[0]), args[1..], workingDirectory, TimeSpan.FromSeconds(60), environment);

    private (int exit, string output) Run(string file, string[] args, string workingDirectory, TimeSpan limit, IDictionary<string, string>? extra = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        // The test host's own MSBuild and test-platform settings are not the person's.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        string realHome = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        start.Environment["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(realHome, ".nuget", "packages");
        start.Environment["HOME"] = Home;
        start.Environment["DOTNET_CLI_HOME"] = Home;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["SMARTKEY_TOOL_PATH"] = ToolPath;
        start.Environment["SMARTKEY_TOOL_PACKAGES"] = Path.Combine(Directory, "packages");
        start.Environment["SMARTKEY_TOOL_CONFIGURATION"] = "Debug";
        start.Environment["PATH"] = ToolPath + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment.Remove("SMARTKEY_OTA_SERVER");
        start.Environment.Remove("SMARTKEY_NF_CONFIG");
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) start.Environment[k] = v;
        string nugetConfig = Path.Combine(realHome, ".nuget", "NuGet", "NuGet.Config");
        if (File.Exists(nugetConfig) && !File.Exists(Path.Combine(Home, ".nuget", "NuGet", "NuGet.Config")))
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Home, ".nuget", "NuGet"));
            File.Copy(nugetConfig, Path.Combine(Home, ".nuget", "NuGet", "NuGet.Config"));
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) output.AppendLine($"[test: killed after {limit.TotalSeconds} s]");
        }

        process.WaitForExit();
        lock (output) return (process.HasExited ? process.ExitCode : -1, output.ToString());
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SmartKey.sln"))) return dir.FullName;
        throw new InvalidOperationException("SmartKey.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
