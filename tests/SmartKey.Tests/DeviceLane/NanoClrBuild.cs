using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace SmartKey.Tests.DeviceLane;

/// <summary>
/// Builds and runs nanoFramework assemblies with the toolkit (NanoClrToolkit): compiles with its nfcsc (the SDK's
/// csc at C# 9 against refs/mscorlib.dll and the pinned libraries) into a work folder of its own, and runs them
/// on nanoCLR through its run-tests (the bundled metadata processor converts them). Never writes into the toolkit.
/// </summary>
public sealed class NanoClrBuild
{
    public NanoClrBuild(string toolkit, string workDir)
    {
        Toolkit = toolkit;
        WorkDir = workDir;
        Directory.CreateDirectory(workDir);
    }

    public string Toolkit { get; }

    public string WorkDir { get; }

    /// <summary>A fresh folder under the system's temporary folder for one lane run.</summary>
    public static string NewWorkDir(string what) =>
        Directory.CreateTempSubdirectory("smartkey-" + what + "-").FullName;

    /// <summary>The portable core for the device: hal interfaces, then the firmware rooms. Returns (hal, firmware) paths.</summary>
    public (string Hal, string Firmware) BuildCore()
    {
        string hal = Compile("SmartKey.Hal", DeviceProjects.Sources(DeviceProjects.Hal), DeviceProjects.CoreLibraries);
        string firmware = Compile("SmartKey.Firmware", DeviceProjects.Sources(DeviceProjects.Firmware), DeviceProjects.CoreLibraries.Append(hal));
        return (hal, firmware);
    }

    /// <summary>
    /// Compiles sources into WorkDir/name.dll (or .exe); a reference without a directory is a toolkit library.
    /// Throws with the compiler's errors when it fails.
    /// </summary>
    public string Compile(string name, IEnumerable<string> sources, IEnumerable<string> references, bool executable = false)
    {
        string output = Path.Combine(WorkDir, name + (executable ? ".exe" : ".dll"));
        var args = new List<string> { executable ? "-target:exe" : "-target:library", "-out:" + output, "-nowarn:CS1591" };
        foreach (string r in references)
            args.Add("-r:" + (Path.IsPathRooted(r) ? r : Path.Combine(Toolkit, "refs", r)));
        args.AddRange(sources);
        // Long command lines (hundreds of sources) go through a response file.
        string rsp = Path.Combine(WorkDir, name + ".rsp");
        File.WriteAllLines(rsp, args.Select(a => "\"" + a + "\""));
        var result = Run(Path.Combine(Toolkit, "nfcsc"), new[] { "@" + rsp }, 600);
        if (result.ExitCode != 0 || !File.Exists(output))
            throw new InvalidOperationException(name + " does not compile for the device (nfcsc exit " + result.ExitCode + "):\n"
                + string.Join("\n", result.Output.Split('\n').Where(l => l.Contains("error")).Take(30)));
        return output;
    }

    /// <summary>run-tests on the given assemblies (--unittest: the one named NFUnitTest through the launcher).</summary>
    public ProcessResult RunOnInterpreter(IEnumerable<string> assemblies, int timeoutSeconds, bool unitTest, string? expect = null)
    {
        var args = new List<string>();
        if (unitTest) args.Add("--unittest");
        args.Add("--quiet");
        args.Add("--timeout");
        args.Add(timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (expect != null)
        {
            args.Add("--expect");
            args.Add(expect);
        }

        args.AddRange(assemblies);
        return Run(Path.Combine(Toolkit, "run-tests"), args, timeoutSeconds + 120);
    }

    public ProcessResult Run(string program, IEnumerable<string> args, int timeoutSeconds)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkDir,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["TMPDIR"] = WorkDir;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.Append(e.Data.TrimEnd('\r')).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.Append(e.Data.TrimEnd('\r')).Append('\n'); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessResult(124, stdout.ToString(), stderr + "\nkilled after " + timeoutSeconds + " s", watch.Elapsed);
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
    }
}

/// <summary>What a toolkit command printed (stdout and stderr apart) and how it ended.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public string Output => StandardOutput + StandardError;
}
