using System;
using System.Text.RegularExpressions;

namespace SmartKey.OtaServer;

/// <summary>
/// An operator identity as the services record it: a local account's name, or the subject ("sub") of a provider's
/// token (GUIDs, base64url, "provider|id" all fit).
/// </summary>
public static partial class Operators
{
    [GeneratedRegex("^[A-Za-z0-9._@|:+-]{1,128}$")]
    private static partial Regex Name();

    public static void Check(string? actor)
    {
        if (actor == null || !Name().IsMatch(actor)) throw new ArgumentException("an operator identity is required: 1 to 128 of A-Z a-z 0-9 . _ @ | : + -");
    }
}
