using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>
/// Compiles every device project (.nfproj), the ESP32 hal and the device app included, from the sources
/// it lists and in the order of its project references, against the real mscorlib of nanoFramework.CoreLibrary
/// 1.17.11 (restored from NuGet by the test project) and, for the other nanoFramework packages, which are not
/// served here, one stand-in library written from api-surface.tsv (DeviceReferenceStubs) on top of that real
/// mscorlib. This is the closest check that the device build has every type, member and overload the code calls.
/// </summary>
public class DeviceBuildTests
{
    private static readonly Lazy<MetadataReference> CoreLibrary = new(() => MetadataReference.CreateFromFile(RealMscorlib.Path));
    private static readonly Lazy<MetadataReference> StandIns = new(BuildStandIns);

    private static MetadataReference[] DeviceLibrary => new[] { CoreLibrary.Value, StandIns.Value };

    public static IEnumerable<object[]> Projects() => new[]
    {
        new object[] { "hal/Interfaces/SmartKey.Hal.nfproj" },
        new object[] { "firmware/SmartKey.Firmware.nfproj" },
        new object[] { "hal/Esp32/SmartKey.Hal.Esp32.nfproj" },
        new object[] { "firmware/App/SmartKey.App.nfproj" },
        new object[] { "tests/NFUnitTest/NFUnitTest.nfproj" },
    };

    [Fact]
    public void TheCoreLibraryIsTheRealMscorlibAndTheStandInsCompileOnIt()
    {
        using var pe = new PEReader(File.OpenRead(RealMscorlib.Path));
        var reader = pe.GetMetadataReader();
        var assembly = reader.GetAssemblyDefinition();
        Assert.Equal("mscorlib", reader.GetString(assembly.Name));
        Assert.Empty(reader.AssemblyReferences);                                         // the root of the device's libraries
        Assert.Contains(reader.TypeDefinitions, t => reader.GetString(reader.GetTypeDefinition(t).Name) == "ArrayList");
        Assert.Equal(RealMscorlib.Version, RealMscorlib.PackageVersion());

        var standIns = StandIns.Value;
        var compilation = CSharpCompilation.Create("Probe", Array.Empty<SyntaxTree>(), DeviceLibrary, Options);
        Assert.Null(compilation.GetTypeByMetadataName("System.Collections.Generic.List`1"));     // the host's mscorlib is not there
        Assert.Equal("mscorlib", compilation.GetTypeByMetadataName("System.String")!.ContainingAssembly.Name);
        Assert.NotEqual("mscorlib", compilation.GetTypeByMetadataName("System.Collections.Hashtable")!.ContainingAssembly.Name);

        // The stand-ins add what the real mscorlib lacks and never define a type it has.
        var coreTypes = AllTypes(((IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(CoreLibrary.Value)!).GlobalNamespace).Select(MetadataName).ToHashSet();
        var standInTypes = AllTypes(((IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(standIns)!).GlobalNamespace).Select(MetadataName).ToList();
        var shadowed = standInTypes.Where(n => n != "<Module>" && coreTypes.Contains(n)).ToList();
        Assert.True(shadowed.Count == 0, "defined by the real mscorlib and a stand-in: " + string.Join(", ", shadowed.Take(20)));
        Assert.True(standInTypes.Count > 300, "stand-in types: " + standInTypes.Count);
        Assert.Contains("System.Collections.ArrayList", coreTypes);
        Assert.Contains("System.Collections.Hashtable", standInTypes);
    }

    private static string MetadataName(INamedTypeSymbol t) =>
        (t.ContainingNamespace.IsGlobalNamespace ? "" : t.ContainingNamespace.ToDisplayString() + ".") + t.MetadataName;

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns) =>
        ns.GetTypeMembers().Concat(ns.GetNamespaceMembers().SelectMany(AllTypes));

    [Theory]
    [MemberData(nameof(Projects))]
    public void DeviceProjectCompilesAgainstTheApiSurface(string project)
    {
        var errors = Compile(project, new Dictionary<string, MetadataReference>(StringComparer.Ordinal)).Errors;
        Assert.True(errors.Count == 0, project + " does not compile against the real mscorlib and api-surface.tsv:\n" + string.Join("\n", errors.Take(40)));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void EveryReferenceComesFromAPinnedPackage(string project)
    {
        // HintPath ..\..\packages\<id>.<version>\lib\<assembly>: the id and version must be in the project's packages.config.
        string dir = Path.GetDirectoryName(Path.Combine(RepoPaths.Root, project))!;
        var pinned = XDocument.Load(Path.Combine(dir, "packages.config")).Descendants("package")
            .Select(p => p.Attribute("id")!.Value + "." + p.Attribute("version")!.Value).ToHashSet(StringComparer.Ordinal);
        var hints = XDocument.Load(Path.Combine(RepoPaths.Root, project)).Descendants().Where(e => e.Name.LocalName == "HintPath").Select(e => e.Value).ToList();
        Assert.NotEmpty(hints);
        foreach (string hint in hints)
        {
            string folder = hint.Replace('\\', '/').Split('/').SkipWhile(part => part != "packages").ElementAt(1);
            Assert.True(pinned.Contains(folder), project + ": " + hint + " is not a package pinned in packages.config");
        }
    }

    [Fact]
    public void AllDeviceProjectsPinTheSamePackageVersions()
    {
        var versions = Projects().Select(p => Path.Combine(RepoPaths.Root, Path.GetDirectoryName((string)p[0])!, "packages.config"))
            .SelectMany(f => XDocument.Load(f).Descendants("package"))
            .GroupBy(p => p.Attribute("id")!.Value)
            .Where(g => g.Select(p => p.Attribute("version")!.Value).Distinct().Count() > 1)
            .Select(g => g.Key).ToList();
        Assert.True(versions.Count == 0, "pinned at different versions: " + string.Join(", ", versions));
    }

    [Fact]
    public void ACallTheDeviceLacksIsCaught()
    {
        // Three things the host has and the device does not: a generic list, an overload, a member.
        string source = "namespace Probe { public static class P { public static void Run() {"
            + " var list = new System.Collections.Generic.List<int>();"
            + " System.Array.Copy(new byte[2], new byte[2], 2L);"
            + " System.Console.Beep(); } } }";
        var compilation = CSharpCompilation.Create("Probe", new[] { Parse(source, "Probe.cs") }, DeviceLibrary, Options);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToList();
        Assert.Contains("CS0234", errors); // System.Collections.Generic does not exist
        Assert.Contains("CS1503", errors); // no Array.Copy(Array, Array, long)
        Assert.Contains("CS0117", errors); // Console has no Beep
    }

    private static readonly CSharpCompilationOptions Options = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Disable, optimizationLevel: OptimizationLevel.Release);

    private static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp9), path);

    private static (MetadataReference Reference, List<string> Errors) Compile(string project, Dictionary<string, MetadataReference> built)
    {
        if (built.TryGetValue(project, out var done)) return (done, new List<string>());
        string path = Path.Combine(RepoPaths.Root, project);
        string dir = Path.GetDirectoryName(path)!;
        var document = XDocument.Load(path);
        var references = new List<MetadataReference>(DeviceLibrary);
        var errors = new List<string>();
        foreach (var reference in document.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
        {
            string referenced = Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(dir, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
            var result = Compile(referenced, built);
            errors.AddRange(result.Errors.Select(e => referenced + ": " + e));
            references.Add(result.Reference);
        }

        var trees = document.Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => Path.Combine(dir, e.Attribute("Include")!.Value.Replace('\\', '/')))
            .Select(file => Parse(File.ReadAllText(file), Path.GetRelativePath(RepoPaths.Root, file)))
            .ToList();
        string assemblyName = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value ?? Path.GetFileNameWithoutExtension(project);
        var compilation = CSharpCompilation.Create(assemblyName, trees, references, Options);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        errors.AddRange(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        if (emitted.Success) errors.AddRange(UnreferencedAssemblies(stream.ToArray(), document, project));
        var image = MetadataReference.CreateFromImage(stream.ToArray());
        built[project] = image;
        return (image, errors);
    }

    /// <summary>
    /// The stand-in library is one assembly; the device has one per package. Every device type the project
    /// uses must come from an assembly its .nfproj references, or the real build fails.
    /// </summary>
    private static IEnumerable<string> UnreferencedAssemblies(byte[] image, XDocument document, string project)
    {
        var referenced = document.Descendants().Where(e => e.Name.LocalName == "Reference")
            .Select(e => e.Attribute("Include")!.Value).ToHashSet(StringComparer.Ordinal);
        using var pe = new PEReader(new MemoryStream(image));
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.TypeReferences)
        {
            string name = TypeReferenceName(reader, handle);
            if (GateTests.Surface.TryGetType(name, out var entry) && !referenced.Contains(entry.Assembly))
                yield return project + ": uses " + name + " from assembly " + entry.Assembly + ", which the project does not reference";
        }
    }

    private static string TypeReferenceName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return TypeReferenceName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static MetadataReference BuildStandIns()
    {
        var core = CSharpCompilation.Create("CoreProbe", Array.Empty<SyntaxTree>(), new[] { CoreLibrary.Value }, Options);
        string source = DeviceReferenceStubs.Generate(GateTests.Surface, (type, key) => IsOverridable(core, type, key));
        var compilation = CSharpCompilation.Create("nanoFramework.StandIns", new[] { Parse(source, "api-surface.g.cs") }, new[] { CoreLibrary.Value }, Options);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!emitted.Success)
        {
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "api-surface.g.cs"), source);
            throw new InvalidOperationException("the stand-in library does not compile on the real mscorlib (source in " + Path.GetTempPath() + "api-surface.g.cs):\n"
                + string.Join("\n", errors.Take(40)));
        }

        return MetadataReference.CreateFromImage(stream.ToArray());
    }

    /// <summary>Whether the real mscorlib's member (key as DeviceReferenceStubs writes it: "M Name(...)", "P Name/n", "E Name") can be overridden.</summary>
    private static bool IsOverridable(CSharpCompilation core, string typeName, string key)
    {
        var type = core.GetTypeByMetadataName(typeName);
        if (type == null) return false;
        string name = key[2..];
        int cut = name.IndexOfAny(new[] { '(', '/' });
        string member = cut < 0 ? name : name[..cut];
        if (key.StartsWith("P ", StringComparison.Ordinal) && name.EndsWith("/1", StringComparison.Ordinal) && member == "Item") member = "this[]";
        return type.GetMembers(member).Any(m => (m.IsVirtual || m.IsAbstract || m.IsOverride) && !m.IsSealed);
    }
}
