using System;
using System.Text.RegularExpressions;

namespace SmartKey.OtaServer;

/// <summary>An operator identity as the API and CLI carry it (X-Operator header, --operator).</summary>
public static partial class Operators
{
    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex Name();

    public static void Check(string? actor)
    {
        if (actor == null || !Name().IsMatch(actor)) throw new ArgumentException("an operator identity is required: 1 to 64 of A-Z a-z 0-9 . _ @ -");
    }
}
