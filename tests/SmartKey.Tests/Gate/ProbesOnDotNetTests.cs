using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>
/// The interpreter probes (tests/NFUnitTest/Probes, run on nanoCLR by the device lane) run here on .NET, compiled at
/// C# 9 with PROBES_ON_DOTNET against a small stand-in of nanoFramework.TestFramework: every probe's .NET answer is
/// asserted on .NET, so each difference docs/nanoclr.md lists is shown from both sides, not remembered.
/// </summary>
public class ProbesOnDotNetTests
{
    private const string TestFrameworkStandIn = @"
namespace nanoFramework.TestFramework
{
    [System.AttributeUsage(System.AttributeTargets.Class)] public sealed class TestClassAttribute : System.Attribute { }
    [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class TestMethodAttribute : System.Attribute { }
    public sealed class AssertFailedException : System.Exception { public AssertFailedException(string m) : base(m) { } }
    public static class Assert
    {
        public static void AreEqual(string expected, string actual, string message)
        {
            if (expected != actual) throw new AssertFailedException(""expected <"" + expected + ""> actual <"" + actual + "">: "" + message);
        }
        public static void IsTrue(bool condition, string message) { if (!condition) throw new AssertFailedException(message); }
        public static void IsFalse(bool condition, string message) { if (condition) throw new AssertFailedException(message); }
    }
}";

    private static string ProbesFolder => Path.Combine(RepoPaths.Root, "tests", "NFUnitTest", "Probes");

    [Fact]
    public void EveryProbeGivesDotNetsAnswerOnDotNet()
    {
        var results = Run();
        Assert.True(results.Count >= 40, "probes run: " + results.Count);
        var failed = results.Where(r => r.Value != null).Select(r => r.Key + ": " + r.Value).ToList();
        Assert.True(failed.Count == 0, failed.Count + " of " + results.Count + " probes fail on .NET:\n" + string.Join("\n", failed));
    }

    /// <summary>Probe (Class.Method) → null when it passed, else why it failed.</summary>
    private static Dictionary<string, string?> Run()
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp9, preprocessorSymbols: new[] { "PROBES_ON_DOTNET" });
        var trees = Directory.GetFiles(ProbesFolder, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, Path.GetFileName(f)))
            .Append(CSharpSyntaxTree.ParseText(TestFrameworkStandIn, parse, "TestFrameworkStandIn.cs"))
            .ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(SmartKey.Firmware.Boot.SmartKeyDevice).Assembly.Location))   // the firmware idioms probed
            .Append(MetadataReference.CreateFromFile(typeof(SmartKey.Hal.HalBundle).Assembly.Location))
            .ToList();
        var compilation = CSharpCompilation.Create("NFUnitTestProbesOnDotNet", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable, optimizationLevel: OptimizationLevel.Release));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, "the probes do not compile on .NET:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));

        var context = new AssemblyLoadContext("probes", isCollectible: true);
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;   // nanoCLR formats invariantly; so must the .NET side
        try
        {
            stream.Position = 0;
            var assembly = context.LoadFromStream(stream);
            var results = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var type in assembly.GetTypes().Where(t => t.GetCustomAttributes().Any(a => a.GetType().Name == "TestClassAttribute")))
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                             .Where(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "TestMethodAttribute")))
                {
                    string name = type.Name + "." + method.Name;
                    try
                    {
                        method.Invoke(Activator.CreateInstance(type), null);
                        results[name] = null;
                    }
                    catch (TargetInvocationException e)
                    {
                        results[name] = e.InnerException!.GetType().Name + ": " + e.InnerException.Message;
                    }
                }
            }

            return results;
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            context.Unload();
        }
    }
}
