using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SmartKey.Tests.DeviceLane;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>
/// Compiles every device project (.nfproj) from the sources it lists, in the order of its project references, against
/// the real nanoFramework libraries at the pinned tags (the toolkit's refs/, see NanoClrToolkit) at C# 9: 0 errors and
/// 0 warnings. Where DeviceBuildTests checks against stand-ins written from api-surface.tsv, this checks against the
/// libraries themselves (their real overloads, by-ref kinds, constants, obsolete marks and assembly split).
/// <para>
/// nanoFramework.Runtime.InFieldUpdate is a preview that cannot be had at a release tag, so it is not in refs/. Its
/// one user, <see cref="InFieldUpdateFiles"/>, is compiled against a stand-in written from api-surface.tsv (as
/// DeviceBuildTests does for every package); every other file is proved not to need it.
/// </para>
/// </summary>
public class NanoClrRefsBuildTests
{
    public const string InFieldUpdateAssembly = "nanoFramework.Runtime.InFieldUpdate";

    /// <summary>The only sources that may use InFieldUpdate: the ESP32 hal's firmware slots.</summary>
    public static readonly string[] InFieldUpdateFiles = { "hal/Esp32/Esp32FirmwareSlots.cs" };

    private static readonly CSharpCompilationOptions Options = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Disable, optimizationLevel: OptimizationLevel.Release, warningLevel: 4);

    private static readonly Lazy<MetadataReference> InFieldUpdateStandIn = new(BuildInFieldUpdateStandIn);

    [SkippableTheory]
    [MemberData(nameof(DeviceBuildTests.Projects), MemberType = typeof(DeviceBuildTests))]
    public void DeviceProjectCompilesAgainstTheRealLibrariesWithoutWarnings(string project)
    {
        NanoClrToolkit.Require();
        var problems = new List<string>();
        Compile(project, new Dictionary<string, MetadataReference>(StringComparer.Ordinal), problems, isolateInFieldUpdate: false);
        Assert.True(problems.Count == 0, project + " against " + Refs + ":\n" + string.Join("\n", problems.Take(40)));
    }

    [SkippableFact]
    public void OnlyTheFirmwareSlotsNeedInFieldUpdate()
    {
        NanoClrToolkit.Require();
        // The ESP32 hal without its slots file, and the app on the full hal, build with no InFieldUpdate at all.
        var built = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
        var problems = new List<string>();
        Compile("hal/Esp32/SmartKey.Hal.Esp32.nfproj", built, problems, isolateInFieldUpdate: true);
        built.Remove("hal/Esp32/SmartKey.Hal.Esp32.nfproj");
        Compile("firmware/App/SmartKey.App.nfproj", built, problems, isolateInFieldUpdate: true);
        Assert.True(problems.Count == 0, "InFieldUpdate used outside " + string.Join(", ", InFieldUpdateFiles) + ":\n" + string.Join("\n", problems.Take(40)));

        foreach (string project in DeviceBuildTests.Projects().Select(p => (string)p[0]))
        {
            bool listsIt = ReferencesOf(Load(project)).Contains(InFieldUpdateAssembly);
            bool mayUseIt = project is "hal/Esp32/SmartKey.Hal.Esp32.nfproj" or "firmware/App/SmartKey.App.nfproj";
            Assert.True(!listsIt || mayUseIt, project + " references " + InFieldUpdateAssembly);
        }

        Assert.False(File.Exists(Path.Combine(Refs, InFieldUpdateAssembly + ".dll")), "refs/ now has InFieldUpdate: compile its user against it and drop the stand-in");
    }

    [SkippableFact]
    public void AMisnamedDeviceCallIsCaught()
    {
        NanoClrToolkit.Require();
        // The stand-ins take every by-ref parameter as out; the real Interlocked.Exchange takes ref, and the real
        // GpioPin has no SetPinMode(int).
        string source = "namespace Probe { public static class P { public static void Run(System.Device.Gpio.GpioPin pin) {"
            + " int x = 0; System.Threading.Interlocked.Exchange(out x, 1); pin.SetPinMode(3); } } }";
        var compilation = CSharpCompilation.Create("Probe", new[] { Parse(source, "Probe.cs") },
            new[] { Library("mscorlib"), Library("System.Device.Gpio"), Library("nanoFramework.Runtime.Events") }, Options);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToList();
        Assert.Contains("CS1620", errors); // argument 1 must be passed with 'ref'
        Assert.Contains("CS1503", errors); // int is no PinMode
    }

    private static string Refs => NanoClrToolkit.PathOf("refs");

    private static MetadataReference Library(string assembly)
    {
        string dll = Path.Combine(Refs, assembly + ".dll");
        string exe = Path.Combine(Refs, assembly + ".exe");
        return MetadataReference.CreateFromFile(File.Exists(dll) ? dll : exe);
    }

    private static XDocument Load(string project) => XDocument.Load(Path.Combine(RepoPaths.Root, project));

    private static List<string> ReferencesOf(XDocument document) =>
        document.Descendants().Where(e => e.Name.LocalName == "Reference").Select(e => e.Attribute("Include")!.Value).ToList();

    private static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp9), path);

    /// <summary>
    /// Builds the project (and first what it references) into <paramref name="built"/>, adding its errors and warnings to
    /// <paramref name="problems"/>. isolateInFieldUpdate leaves out the InFieldUpdate files and the stand-in.
    /// </summary>
    private static MetadataReference Compile(string project, Dictionary<string, MetadataReference> built, List<string> problems, bool isolateInFieldUpdate)
    {
        if (built.TryGetValue(project, out var done)) return done;
        string dir = Path.GetDirectoryName(Path.Combine(RepoPaths.Root, project))!;
        var document = Load(project);
        var references = new List<MetadataReference>();
        foreach (string assembly in ReferencesOf(document))
        {
            if (assembly == InFieldUpdateAssembly)
            {
                if (!isolateInFieldUpdate) references.Add(InFieldUpdateStandIn.Value);
                continue;
            }

            if (!File.Exists(Path.Combine(Refs, assembly + ".dll")) && !File.Exists(Path.Combine(Refs, assembly + ".exe")))
            {
                problems.Add(project + ": references " + assembly + ", which is not among the real libraries in refs/");
                continue;
            }

            references.Add(Library(assembly));
        }

        foreach (var reference in document.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
        {
            string referenced = Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(dir, reference.Attribute("Include")!.Value.Replace('\\', '/')))).Replace('\\', '/');
            references.Add(Compile(referenced, built, problems, isolateInFieldUpdate: false));
        }

        var trees = document.Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => Path.GetRelativePath(RepoPaths.Root, Path.Combine(dir, e.Attribute("Include")!.Value.Replace('\\', '/'))).Replace('\\', '/'))
            .Where(file => !(isolateInFieldUpdate && InFieldUpdateFiles.Contains(file)))
            .Select(file => Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, file)), file))
            .ToList();
        string assemblyName = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value ?? Path.GetFileNameWithoutExtension(project);
        var compilation = CSharpCompilation.Create(assemblyName, trees, references, Options);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        problems.AddRange(emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => project + ": " + d));
        var image = MetadataReference.CreateFromImage(stream.ToArray());
        built[project] = image;
        return image;
    }

    /// <summary>InFieldUpdate's listed types (api-surface.tsv) as a library on the real mscorlib, bodies throwing.</summary>
    private static MetadataReference BuildInFieldUpdateStandIn()
    {
        var lines = File.ReadAllLines(RepoPaths.ApiSurface).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')).ToList();
        var types = lines.Where(c => c[0] == "T" && c[1] == InFieldUpdateAssembly).Select(c => c[2]).ToHashSet(StringComparer.Ordinal);
        string listed = Path.Combine(Path.GetTempPath(), "i20-infieldupdate-" + Guid.NewGuid().ToString("N") + ".tsv");
        try
        {
            File.WriteAllLines(listed, lines.Where(c => c[0] == "T" ? c[1] == InFieldUpdateAssembly || c[1] == DeviceReferenceStubs.CoreAssembly : types.Contains(c[1])).Select(c => string.Join('\t', c)));
            var surface = ApiSurface.Load(listed);
            var mscorlib = Library("mscorlib");
            var core = CSharpCompilation.Create("CoreProbe", Array.Empty<SyntaxTree>(), new[] { mscorlib }, Options);
            string source = DeviceReferenceStubs.Generate(surface, (type, key) => IsOverridable(core, type, key));
            var compilation = CSharpCompilation.Create(InFieldUpdateAssembly, new[] { Parse(source, "infieldupdate.g.cs") }, new[] { mscorlib }, Options);
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            if (!emitted.Success)
                throw new InvalidOperationException("the InFieldUpdate stand-in does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
            return MetadataReference.CreateFromImage(stream.ToArray());
        }
        finally
        {
            File.Delete(listed);
        }
    }

    private static bool IsOverridable(CSharpCompilation core, string typeName, string key)
    {
        var type = core.GetTypeByMetadataName(typeName);
        if (type == null) return false;
        string name = key[2..];
        int cut = name.IndexOfAny(new[] { '(', '/' });
        string member = cut < 0 ? name : name[..cut];
        return type.GetMembers(member).Any(m => (m.IsVirtual || m.IsAbstract || m.IsOverride) && !m.IsSealed);
    }
}
