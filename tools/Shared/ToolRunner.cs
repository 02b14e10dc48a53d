using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;

namespace SmartKey.Tools;

/// <summary>The command line or a local file is wrong: the message says what to change. Exit code 2.</summary>
internal sealed class UsageError : Exception
{
    public UsageError(string message) : base(message) { }
}

/// <summary>The lock, a file's contents or the network refused: the message says why and what to do. Exit code 1.</summary>
internal sealed class Refusal : Exception
{
    public Refusal(string message) : base(message) { }
}

/// <summary>
/// How every SmartKey tool meets a person: one line on stderr for what went wrong and what to do next,
/// exit code 0 done, 1 refused, 2 usage (the command line or a local file), never a stack trace.
/// </summary>
internal static class ToolRunner
{
    public const int Done = 0, Refused = 1, Usage = 2;

    public static int Run(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            string what = parse.UnmatchedTokens.Count > 0
                ? $"'{parse.UnmatchedTokens[0]}' is not a command or option of '{CommandPath(parse)}'"
                : Describe(parse.Errors[0]).TrimEnd('.');
            error.WriteLine("error: " + what + $" (see '{CommandPath(parse)} --help')");
            return Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error });
        }
        catch (UsageError e)
        {
            error.WriteLine("error: " + e.Message);
            return Usage;
        }
        catch (Refusal e)
        {
            error.WriteLine("refused: " + e.Message);
            return Refused;
        }
        catch (Exception e)
        {
            // A defect of the tool, not of the input: still one line, with what to report.
            error.WriteLine($"internal error ({e.GetType().Name}: {e.Message}); please report it with the command line you ran");
            return Refused;
        }
    }

    /// <summary>The library's text, except that a value that does not convert names the kind of value wanted, not a .NET type.</summary>
    private static string Describe(ParseError parseError)
    {
        if (parseError.SymbolResult is { Tokens.Count: > 0 } result)
        {
            (string name, Type? type) = result switch
            {
                OptionResult o => (o.Option.Name, o.Option.ValueType),
                ArgumentResult { Parent: OptionResult o } => (o.Option.Name, o.Option.ValueType),
                ArgumentResult a => ("<" + a.Argument.Name + ">", a.Argument.ValueType),
                _ => ("", null),
            };
            string? wanted = type == null ? null : Wanted(Nullable.GetUnderlyingType(type) ?? type);
            if (wanted != null) return $"'{result.Tokens[^1].Value}' is not {wanted}, as {name} needs";
        }

        return parseError.Message;
    }

    private static string? Wanted(Type type) =>
        type == typeof(int) ? "a whole number" :
        type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte) ? "a whole number ≥ 0" :
        type == typeof(bool) ? "true or false" :
        type == typeof(DateTimeOffset) ? "a date and time such as 2026-03-01T08:00Z" :
        null;

    private static string CommandPath(ParseResult parse)
    {
        string path = parse.CommandResult.Command.Name;
        for (var r = parse.CommandResult.Parent as CommandResult; r != null; r = r.Parent as CommandResult) path = r.Command.Name + " " + path;
        return path;
    }
}
