using System;
using System.IO;
using Xunit;

namespace SmartKey.Tests.DeviceLane;

/// <summary>
/// Where nanoFramework's interpreter toolkit is (nanoCLR for Linux, the metadata processor, the libraries built at the
/// pinned tags): <c>$NANOCLR</c>, else <c>../shared/nanoclr</c> beside the repository. A clone on its own has neither,
/// so the tests that need it are skipped with the reason; under <c>CI=true</c> a missing toolkit fails them instead.
/// The toolkit is read-only: nothing is ever written into it.
/// </summary>
public static class NanoClrToolkit
{
    private static readonly string? Found = Locate(out WhyMissingValue);
    private static readonly string WhyMissingValue;

    /// <summary>The toolkit's folder (it holds <c>run-tests</c>, <c>nfcsc</c>, <c>refs/</c>, <c>pe/</c>), or null.</summary>
    public static string? Root => Found;

    /// <summary>Why <see cref="Root"/> is null, in one line.</summary>
    public static string WhyMissing => WhyMissingValue;

    /// <summary>CI must run the device tests: there a missing interpreter is a failure, not a skip.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The toolkit's folder for a test that needs it. Without one the test is skipped saying why
    /// (use [SkippableFact]/[SkippableTheory]), or fails when <see cref="Required"/>.
    /// </summary>
    public static string Require()
    {
        if (Found != null) return Found;
        if (Required) throw new InvalidOperationException("CI=true but the nanoFramework interpreter is missing: " + WhyMissingValue);
        Skip.If(true, "device lane skipped: " + WhyMissingValue);
        return null!;
    }

    /// <summary>A file of the toolkit, e.g. Path("refs", "mscorlib.dll").</summary>
    public static string PathOf(params string[] parts) => System.IO.Path.Combine(Require(), System.IO.Path.Combine(parts));

    private static string? Locate(out string whyMissing)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("NANOCLR");
        string candidate = !string.IsNullOrEmpty(fromEnvironment)
            ? fromEnvironment
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPaths.Root, "..", "shared", "nanoclr"));
        if (File.Exists(System.IO.Path.Combine(candidate, "run-tests")) && File.Exists(System.IO.Path.Combine(candidate, "nfcsc")))
        {
            whyMissing = "";
            return candidate;
        }
        whyMissing = "no nanoFramework interpreter toolkit at " + candidate
                     + (string.IsNullOrEmpty(fromEnvironment) ? " (set NANOCLR to its folder)" : " (from $NANOCLR)");
        return null;
    }
}
