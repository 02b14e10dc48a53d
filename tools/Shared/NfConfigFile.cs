using System;
using System.IO;

namespace SmartKey.Tools;

/// <summary>
/// Where a tool finds nf.config (the device settings): its option, else $SMARTKEY_NF_CONFIG, else the tool's default
/// (the technician: ./nf.config; the simulator: its built-in copy of the repository's file). A relative path is the
/// caller's: resolved against the working directory.
/// </summary>
internal static class NfConfigFile
{
    public const string Variable = "SMARTKEY_NF_CONFIG";

    /// <summary>The option's value, else the environment variable's, else null (the tool's default).</summary>
    public static string? Chosen(string? option) =>
        !string.IsNullOrEmpty(option) ? option : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;

    /// <summary>The file's text; a file that cannot be read is a usage error naming the file, the option and the variable.</summary>
    public static string Read(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "there is no such file" : e.Message;
            throw new UsageError($"cannot read the device settings {Path.GetFullPath(path)}: {why} (name nf.config with {option} FILE or ${Variable})");
        }
    }
}
