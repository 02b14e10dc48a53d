using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SmartKey.Tests.Gate;

/// <summary>Compiles a C# 9 snippet the way a portable host project is compiled (net10.0 reference assemblies).</summary>
public static class SnippetCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    /// <summary>extraReferences: paths of further assemblies the snippet uses (the firmware, to plant a back-reference).</summary>
    public static byte[] Compile(string source, string assemblyName = "Snippet", params string[] extraReferences)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp9));
        var references = References.Value.Concat(extraReferences.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)));
        var compilation = CSharpCompilation.Create(assemblyName, new[] { tree }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException("snippet does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return stream.ToArray();
    }

    private static MetadataReference[] LoadReferences()
    {
        // The targeting pack beside the running runtime: <dotnet root>/shared/Microsoft.NETCore.App/<v> → <dotnet root>/packs/Microsoft.NETCore.App.Ref/<v>/ref/net10.0
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        string? refDir = Directory.Exists(packs)
            ? Directory.GetDirectories(packs).OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "ref", "net10.0")).FirstOrDefault(Directory.Exists)
            : null;
        string[] files = refDir != null
            ? Directory.GetFiles(refDir, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToArray();
    }
}
