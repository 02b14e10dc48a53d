using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>Runs a SmartKey tool as a person does: its own process (the built entry point beside the tests), its exit code and both streams.</summary>
public static class ToolProcess
{
    public sealed record Result(int Exit, string Output, string Error);

    public static Result Run(string tool, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, tool + ".dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', args)} did not exit within 60 s");
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>What every refusal and usage error must look like: the exit code and one line naming the fault, no .NET in sight.</summary>
    public static void AssertOneLine(Result result, int exit, params string[] says)
    {
        Assert.True(result.Exit == exit, $"exit {result.Exit}, expected {exit}; stderr: {result.Error}");
        string line = result.Error.TrimEnd('\r', '\n');
        Assert.False(line.Contains('\n'), "more than one line: " + result.Error);
        Assert.StartsWith(exit == 2 ? "error: " : "refused: ", line);
        Assert.DoesNotContain("   at ", line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("System.", line);
        foreach (string s in says) Assert.Contains(s, line);
    }
}
