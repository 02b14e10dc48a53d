using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace SmartKey.Tests.DeviceLane;

/// <summary>
/// The device lane: every on-target test of tests/NFUnitTest, run on nanoFramework's own interpreter (nanoCLR) against
/// the real mscorlib and the pinned libraries, one case per test, each held to its own result line. Without the
/// toolkit there is one case, skipped with the reason (under CI=true it fails instead).
/// </summary>
public class OnTargetTests
{
    public const string LaneMissing = "(no interpreter toolkit)";

    public static IEnumerable<object[]> Cases()
    {
        if (NanoClrToolkit.Root == null && !NanoClrToolkit.Required)
            return new[] { new object[] { LaneMissing } };
        return OnTargetTestDiscovery.Tests().Select(t => new object[] { t });
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void PassesOnNanoClr(string test)
    {
        NanoClrToolkit.Require();
        var lane = DeviceLaneRun.Shared;
        var results = lane.ResultsOf(test);
        Assert.True(results.Count > 0, test + " printed no result line (the launcher stopped before it, or it was not built in). "
            + "run-tests exit " + lane.Run.ExitCode + ", last lines:\n" + lane.Tail());
        foreach (var (outcome, detail) in results)
        {
            // Only a test that cannot apply on this interpreter skips (e.g. no native HMAC to compare with), saying why.
            Skip.If(outcome == "skipped", test + " skipped on the interpreter: " + detail);
            Assert.True(outcome == "passed", test + " " + outcome + " on the interpreter: " + detail);
        }
    }

    [Fact]
    public void EveryTestOfTheNfprojIsACase()
    {
        var tests = OnTargetTestDiscovery.Tests();
        Assert.Equal(tests.Count, tests.Distinct().Count());
        Assert.Contains("SmartKey.NFUnitTest.ConfigTests.HexRoundTrips", tests);
        Assert.True(tests.Count >= 10, "on-target tests found: " + tests.Count);
    }
}
