using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>
/// Every packages.config pins one coherent nanoFramework package set: each pinned id+version is a release the
/// table nanoframework/packages.tsv knows, each of its requirements is pinned in the same packages.config at a
/// version that meets it, and each .nfproj HintPath names one of the pinned package's lib files.
/// </summary>
public class PackagePinTests
{
    public sealed record Package(string Id, string Version, string[] LibFiles, (string Id, string Op, string Version)[] Requires, string Note);

    private static readonly Lazy<List<Package>> Table = new(() => LoadTable(Path.Combine(RepoPaths.NanoFramework, "packages.tsv")));

    public static List<Package> LoadTable(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).Select(f => new Package(
            f[0], f[1], f[2].Split(','),
            f[3] == "-" ? Array.Empty<(string, string, string)>() : f[3].Split(',').Select(ParseRequirement).ToArray(),
            f.Length > 4 ? f[4] : "")).ToList();

    private static (string, string, string) ParseRequirement(string text)
    {
        int at = text.IndexOf(">=", StringComparison.Ordinal);
        if (at > 0) return (text[..at], ">=", text[(at + 2)..]);
        at = text.IndexOf('=');
        if (at > 0) return (text[..at], "=", text[(at + 1)..]);
        throw new InvalidDataException("requirement '" + text + "' is neither id=version nor id>=version");
    }

    private static IEnumerable<string> Projects() => DeviceBuildTests.Projects().Select(p => (string)p[0]);

    private static Dictionary<string, string> Pins(string project) =>
        XDocument.Load(Path.Combine(RepoPaths.Root, Path.GetDirectoryName(project)!, "packages.config")).Descendants("package")
            .ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value, StringComparer.Ordinal);

    /// <summary>What is wrong with one packages.config's set against the table (nothing when coherent).</summary>
    public static List<string> Unmet(IReadOnlyDictionary<string, string> pins, List<Package> table)
    {
        var problems = new List<string>();
        foreach (var (id, version) in pins)
        {
            var package = table.SingleOrDefault(p => p.Id == id && p.Version == version);
            if (package == null)
            {
                problems.Add($"{id} {version} is no release the table knows ({string.Join(", ", table.Where(p => p.Id == id).Select(p => p.Version))})");
                continue;
            }

            foreach (var (needId, op, needVersion) in package.Requires)
            {
                if (!pins.TryGetValue(needId, out string? pinned))
                    problems.Add($"{id} {version} needs {needId} {op} {needVersion}, which is not pinned");
                else if (op == "=" ? Compare(pinned, needVersion) != 0 : Compare(pinned, needVersion) < 0)
                    problems.Add($"{id} {version} needs {needId} {op} {needVersion}; pinned {pinned}");
            }
        }

        return problems;
    }

    /// <summary>NuGet order: numeric parts, then a prerelease before its release.</summary>
    public static int Compare(string a, string b)
    {
        string[] pa = a.Split('-', 2), pb = b.Split('-', 2);
        int numeric = new Version(pa[0]).CompareTo(new Version(pb[0]));
        if (numeric != 0) return numeric;
        if (pa.Length != pb.Length) return pa.Length == 1 ? 1 : -1;
        return pa.Length == 1 ? 0 : string.CompareOrdinal(pa[1], pb[1]);
    }

    [Theory]
    [MemberData(nameof(DeviceBuildTests.Projects), MemberType = typeof(DeviceBuildTests))]
    public void EveryPinnedPackagesDependenciesAreMet(string project)
    {
        var problems = Unmet(Pins(project), Table.Value);
        Assert.True(problems.Count == 0, project + "/../packages.config:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(DeviceBuildTests.Projects), MemberType = typeof(DeviceBuildTests))]
    public void EveryHintPathNamesALibFileOfThePinnedRelease(string project)
    {
        var pins = Pins(project);
        var hints = XDocument.Load(Path.Combine(RepoPaths.Root, project)).Descendants().Where(e => e.Name.LocalName == "HintPath").Select(e => e.Value.Replace('\\', '/')).ToList();
        Assert.NotEmpty(hints);
        foreach (string hint in hints)
        {
            // ..\..\packages\<id>.<version>\lib\<file>
            string[] parts = hint.Split('/').SkipWhile(p => p != "packages").ToArray();
            var package = pins.Select(p => Table.Value.SingleOrDefault(t => t.Id == p.Key && t.Version == p.Value)).SingleOrDefault(t => t != null && parts[1] == t.Id + "." + t.Version);
            Assert.True(package != null, project + ": " + hint + " is not in a pinned package's folder");
            Assert.Equal("lib", parts[2]);
            Assert.True(package!.LibFiles.Contains(parts[3]), project + ": " + hint + " names no lib file of " + package.Id + " " + package.Version + " (" + string.Join(", ", package.LibFiles) + ")");
        }
    }

    [Fact]
    public void AnUnverifiedPackageStaysInTheEsp32HalAndTheApp()
    {
        var unverified = Table.Value.Where(p => p.Note.StartsWith("unverified", StringComparison.Ordinal)).Select(p => p.Id).ToHashSet();
        Assert.Equal(new[] { "nanoFramework.Runtime.InFieldUpdate" }, unverified.ToArray());
        var users = Projects().Where(p => Pins(p).Keys.Any(unverified.Contains)).ToArray();
        Assert.Equal(new[] { "hal/Esp32/SmartKey.Hal.Esp32.nfproj", "firmware/App/SmartKey.App.nfproj" }, users);
    }

    [Fact]
    public void TheFormerlyPinnedSetIsCaught()
    {
        // The set pinned before 2026-12-01, as the ESP32 hal had it: four packages off the 1.17.11 line.
        var before = Pins("hal/Esp32/SmartKey.Hal.Esp32.nfproj");
        before["nanoFramework.System.Device.Gpio"] = "1.1.64";
        before["nanoFramework.System.Device.Adc"] = "1.1.11";
        before["nanoFramework.System.Security.Cryptography"] = "1.0.32";
        before["nanoFramework.M2Mqtt"] = "5.1.221";
        var problems = Unmet(before, Table.Value);
        Assert.Equal(4, problems.Count);
        Assert.Contains("nanoFramework.System.Device.Gpio 1.1.64 is no release the table knows (1.1.57, 1.1.62)", problems);
        Assert.Contains("nanoFramework.M2Mqtt 5.1.221 is no release the table knows (5.1.215, 5.1.220)", problems);
        Assert.Contains("nanoFramework.System.Device.Adc 1.1.11 needs nanoFramework.CoreLibrary = 1.15.5; pinned 1.17.11", problems);
        Assert.Contains("nanoFramework.System.Security.Cryptography 1.0.32 needs nanoFramework.CoreLibrary = 1.16.11; pinned 1.17.11", problems);

        // The newest tags seen need a newer Runtime.Events, Collections and Net than the set has.
        before["nanoFramework.System.Device.Gpio"] = "1.1.62";
        before["nanoFramework.M2Mqtt"] = "5.1.220";
        before["nanoFramework.System.Device.Adc"] = "1.1.24";
        before["nanoFramework.System.Security.Cryptography"] = "1.0.38";
        Assert.Equal(new[]
        {
            "nanoFramework.System.Device.Gpio 1.1.62 needs nanoFramework.Runtime.Events >= 1.11.37; pinned 1.11.32",
            "nanoFramework.M2Mqtt 5.1.220 needs nanoFramework.Runtime.Events >= 1.11.37; pinned 1.11.32",
            "nanoFramework.M2Mqtt 5.1.220 needs nanoFramework.System.Collections >= 1.5.75; pinned 1.5.67",
            "nanoFramework.M2Mqtt 5.1.220 needs nanoFramework.System.Net >= 1.11.60; pinned 1.11.52",
        }, Unmet(before, Table.Value).OrderBy(p => p.Contains("M2Mqtt")).ToArray());
        Assert.Equal(1, Compare("1.0.0", "1.0.0-preview.30"));
        Assert.True(Compare("1.11.37", "1.11.4") > 0);
    }
}
