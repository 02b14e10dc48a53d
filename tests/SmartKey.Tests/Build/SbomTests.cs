using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace SmartKey.Tests.Build;

/// <summary>
/// The SBOMs in sbom/ (CycloneDX, written by build/sbom.sh) name every package SmartKey ships, at its version: each
/// PackageReference of a host tool's project and of every project it references, and every pin of the device projects'
/// packages.config. A package added or moved without regenerating the SBOMs fails here.
/// </summary>
public sealed class SbomTests
{
    public static TheoryData<string, string> Tools => new()
    {
        { "smartkey", "tools/SmartKey.Cli/SmartKey.Cli.csproj" },
        { "smartkey-sim", "tools/SmartKey.Simulator/SmartKey.Simulator.csproj" },
        { "smartkey-ota", "tools/SmartKey.Ota/SmartKey.Ota.csproj" },
        { "smartkey-tech", "tools/SmartKey.Technician/SmartKey.Technician.csproj" },
        { "smartkey-ota-server", "tools/SmartKey.OtaServer/SmartKey.OtaServer.csproj" },
    };

    private static Dictionary<string, HashSet<string>> Components(string name)
    {
        string path = Path.Combine(RepoPaths.Root, "sbom", name + ".cdx.json");
        Assert.True(File.Exists(path), $"sbom/{name}.cdx.json is missing: run build/sbom.sh");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("CycloneDX", doc.RootElement.GetProperty("bomFormat").GetString());
        Assert.Equal(name == "firmware" ? "smartkey-firmware" : name, doc.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("name").GetString());
        return doc.RootElement.GetProperty("components").EnumerateArray()
            .GroupBy(c => c.GetProperty("name").GetString()!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(c => c.GetProperty("version").GetString()!).ToHashSet(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The project and every project it references, transitively.</summary>
    private static IEnumerable<string> Closure(string project)
    {
        var seen = new HashSet<string>();
        var work = new Stack<string>(new[] { Path.GetFullPath(Path.Combine(RepoPaths.Root, project)) });
        while (work.Count > 0)
        {
            string p = work.Pop();
            if (!seen.Add(p)) continue;
            foreach (var reference in XDocument.Load(p).Descendants("ProjectReference"))
                work.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p)!, reference.Attribute("Include")!.Value)));
        }

        return seen;
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public void EveryPackageReferenceOfAToolIsInItsSbomAtItsVersion(string tool, string project)
    {
        var components = Components(tool);
        var references = Closure(project).SelectMany(p => XDocument.Load(p).Descendants("PackageReference")
            .Select(r => (project: Path.GetFileName(p), id: r.Attribute("Include")!.Value, version: r.Attribute("Version")?.Value))).ToList();
        Assert.NotEmpty(references);
        foreach (var (from, id, version) in references)
        {
            Assert.True(components.TryGetValue(id, out var versions), $"{from} references {id}, which sbom/{tool}.cdx.json does not name (run build/sbom.sh)");
            Assert.True(version == null || versions!.Contains(version), $"{from} references {id} {version}; sbom/{tool}.cdx.json has {string.Join(", ", versions!)}");
        }
    }

    [Fact]
    public void EveryPinOfTheDeviceProjectsIsInTheFirmwareSbomAtItsVersion()
    {
        var components = Components("firmware");
        var pins = Directory.GetFiles(RepoPaths.Root, "packages.config", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("NFUnitTest")).ToList();
        Assert.Equal(4, pins.Count);
        foreach (string config in pins)
            foreach (var package in XDocument.Load(config).Descendants("package"))
            {
                string id = package.Attribute("id")!.Value, version = package.Attribute("version")!.Value;
                Assert.True(components.TryGetValue(id, out var versions) && versions.Contains(version),
                    $"{Path.GetRelativePath(RepoPaths.Root, config)} pins {id} {version}, which sbom/firmware.cdx.json does not name (run build/sbom.sh)");
            }
    }
}
