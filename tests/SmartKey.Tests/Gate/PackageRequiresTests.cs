using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using SmartKey.Tests.DeviceLane;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>
/// nanoframework/packages.tsv's "requires" column against the real libraries (the toolkit's refs/, built at the pinned
/// tags): every assembly a package's lib files reference is a requirement of its row, at the referenced version, and
/// every other requirement is one those already bring in (so the table may keep what a package's own packages.config
/// names beyond what its compiler kept).
/// </summary>
public class PackageRequiresTests
{
    private static readonly List<PackagePinTests.Package> Table = PackagePinTests.LoadTable(Path.Combine(RepoPaths.NanoFramework, "packages.tsv"));

    [SkippableFact]
    public void EveryAssemblyReferenceOfARealLibraryIsARequirementOfItsRow()
    {
        var rows = RowsInRefs();
        Assert.True(rows.Count >= 16, "rows whose release is in refs/: " + rows.Count);
        var problems = new List<string>();
        foreach (var row in rows)
        {
            var referenced = ReferencedPackages(row);
            foreach (var (id, version) in referenced)
            {
                if (!row.Requires.Any(r => r.Id == id && r.Version == version))
                    problems.Add($"{row.Id} {row.Version} references {id} {version}; requires says {Say(row)}");
            }

            var closure = Closure(referenced.Keys);
            foreach (var (id, _, version) in row.Requires.Where(r => !referenced.ContainsKey(r.Id) && !closure.Contains(r.Id)))
                problems.Add($"{row.Id} {row.Version} requires {id} {version}, which none of its assemblies or their requirements reference");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableFact]
    public void M2MqttNeedsRuntimeNative()
    {
        // Issue 20: the table had left out Runtime.Native (M2Mqtt 5.1.215 calls its native helpers).
        RowsInRefs();
        var m2mqtt = Table.Single(p => p.Id == "nanoFramework.M2Mqtt" && p.Version == "5.1.215");
        Assert.Contains(("nanoFramework.Runtime.Native", "1.7.11"), ReferencedPackages(m2mqtt).Select(kv => (kv.Key, kv.Value)));
        Assert.Contains(m2mqtt.Requires, r => r.Id == "nanoFramework.Runtime.Native" && r.Op == ">=" && r.Version == "1.7.11");
    }

    private static string Say(PackagePinTests.Package row) =>
        row.Requires.Length == 0 ? "-" : string.Join(",", row.Requires.Select(r => r.Id + r.Op + r.Version));

    /// <summary>The rows whose release is the one in refs/ (a lib file there with the row's version).</summary>
    private static List<PackagePinTests.Package> RowsInRefs()
    {
        NanoClrToolkit.Require();
        return Table.Where(row => row.LibFiles.All(f => File.Exists(RefFile(f))) && row.LibFiles.All(f => Version(RefFile(f)) == row.Version)).ToList();
    }

    private static string RefFile(string libFile) => NanoClrToolkit.PathOf("refs", libFile);

    private static string Version(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        var v = pe.GetMetadataReader().GetAssemblyDefinition().Version;
        return v.Major + "." + v.Minor + "." + v.Build;
    }

    /// <summary>Package id → version of every other package the row's lib files reference.</summary>
    private static Dictionary<string, string> ReferencedPackages(PackagePinTests.Package row)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string libFile in row.LibFiles)
        {
            using var pe = new PEReader(File.OpenRead(RefFile(libFile)));
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.AssemblyReferences)
            {
                var reference = reader.GetAssemblyReference(handle);
                string name = reader.GetString(reference.Name);
                if (row.LibFiles.Any(f => Path.GetFileNameWithoutExtension(f) == name)) continue;
                var owners = Table.Where(p => p.LibFiles.Any(f => Path.GetFileNameWithoutExtension(f) == name)).Select(p => p.Id).Distinct().ToList();
                Assert.True(owners.Count == 1, libFile + " references " + name + ", which " + (owners.Count == 0 ? "no package of the table has" : "several packages have"));
                result[owners[0]] = reference.Version.Major + "." + reference.Version.Minor + "." + reference.Version.Build;
            }
        }

        return result;
    }

    /// <summary>Every package the given ones require, transitively, by the table's rows for the releases in refs/.</summary>
    private static HashSet<string> Closure(IEnumerable<string> ids)
    {
        var rows = RowsInRefs();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(ids);
        while (pending.Count > 0)
        {
            string id = pending.Pop();
            foreach (var row in rows.Where(r => r.Id == id))
            foreach (var requirement in row.Requires)
                if (seen.Add(requirement.Id)) pending.Push(requirement.Id);
        }

        return seen;
    }
}
