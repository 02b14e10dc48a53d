using System;
using System.Diagnostics;
using System.IO;

namespace SmartKey.Tests.Ota;

/// <summary>Runs the built smartkey-ota (copied beside the tests) as a user would: a process, its exit code and output.</summary>
public static class OtaTool
{
    public sealed record Result(int Exit, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smartkey-ota.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, output, error.Result);
    }
}
