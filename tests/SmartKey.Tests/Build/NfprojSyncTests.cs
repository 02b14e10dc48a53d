using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace SmartKey.Tests.Build;

/// <summary>
/// The device projects list their sources by hand; this keeps each list equal to the .cs files in its
/// folder (sub-folders with their own project excluded). `python3 build/update-nfproj.py` fixes a drift.
/// </summary>
public class NfprojSyncTests
{
    public static IEnumerable<object[]> DeviceProjects() =>
        Directory.GetFiles(RepoPaths.Root, "*.nfproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar) && !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .Select(p => new object[] { Path.GetRelativePath(RepoPaths.Root, p) });

    [Fact]
    public void EveryDeviceProjectIsFound()
    {
        var names = DeviceProjects().Select(p => Path.GetFileName((string)p[0])).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "NFUnitTest.nfproj", "SmartKey.App.nfproj", "SmartKey.Firmware.nfproj", "SmartKey.Hal.Esp32.nfproj", "SmartKey.Hal.nfproj" }, names);
    }

    [Theory]
    [MemberData(nameof(DeviceProjects))]
    public void CompileListMatchesTheFolder(string relativePath)
    {
        string project = Path.Combine(RepoPaths.Root, relativePath);
        string dir = Path.GetDirectoryName(project)!;
        var listed = XDocument.Load(project).Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => Normalize(e.Attribute("Include")!.Value)).ToHashSet(StringComparer.Ordinal);
        var onDisk = SourcesIn(dir, dir).ToHashSet(StringComparer.Ordinal);

        var missing = onDisk.Except(listed).OrderBy(s => s).ToList();
        var stale = listed.Except(onDisk).OrderBy(s => s).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"{relativePath}: not listed: [{string.Join(", ", missing)}]; listed but absent: [{string.Join(", ", stale)}]. Run python3 build/update-nfproj.py");
        Assert.NotEmpty(listed);
    }

    [Fact]
    public void HostPortableProjectsCompileTheSameFilesAsTheirDeviceTwins()
    {
        // The host csproj globs its folder; its device twin lists the same folder: one set of sources.
        foreach (var (nfproj, csproj) in new[] { ("firmware/SmartKey.Firmware.nfproj", "firmware/SmartKey.Firmware.Host.csproj"), ("hal/Interfaces/SmartKey.Hal.nfproj", "hal/Interfaces/SmartKey.Hal.Host.csproj") })
        {
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, nfproj)), nfproj);
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, csproj)), csproj);
            Assert.Equal(Path.GetDirectoryName(nfproj), Path.GetDirectoryName(csproj));
        }
    }

    private static IEnumerable<string> SourcesIn(string projectDir, string dir)
    {
        foreach (string file in Directory.GetFiles(dir, "*.cs"))
            yield return Normalize(Path.GetRelativePath(projectDir, file));
        foreach (string sub in Directory.GetDirectories(dir))
        {
            string name = Path.GetFileName(sub);
            if (name is "bin" or "obj" or "packages") continue;
            if (Directory.GetFiles(sub, "*.nfproj").Length > 0 || Directory.GetFiles(sub, "*.csproj").Length > 0) continue;
            foreach (string s in SourcesIn(projectDir, sub)) yield return s;
        }
    }

    private static string Normalize(string path) => path.Replace('\\', '/');
}
