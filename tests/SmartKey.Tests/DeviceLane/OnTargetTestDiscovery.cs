using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SmartKey.Tests.DeviceLane;

/// <summary>
/// The on-target tests, found without building or running anything: every public method carrying [TestMethod],
/// [DataRow], [Setup] or [Cleanup] in a [TestClass] of the sources tests/NFUnitTest/NFUnitTest.nfproj lists, named
/// as nanoFramework's UnitTestLauncher reports it ("Namespace.Class.Method").
/// </summary>
public static class OnTargetTestDiscovery
{
    private static readonly string[] Reported = { "TestMethod", "DataRow", "Setup", "Cleanup" };

    public static IReadOnlyList<string> Tests()
    {
        var found = new List<string>();
        foreach (string file in DeviceProjects.Sources(DeviceProjects.Tests))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.CSharp9)).GetRoot();
            foreach (var type in root.DescendantNodes().OfType<ClassDeclarationSyntax>().Where(c => HasAttribute(c.AttributeLists, "TestClass")))
            {
                string ns = string.Join(".", type.Ancestors().OfType<NamespaceDeclarationSyntax>().Reverse().Select(n => n.Name.ToString()));
                string name = (ns.Length > 0 ? ns + "." : "") + string.Join(".", type.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().Reverse().Select(c => c.Identifier.Text));
                foreach (var method in type.Members.OfType<MethodDeclarationSyntax>())
                {
                    if (method.Modifiers.Any(SyntaxKind.PublicKeyword) && Reported.Any(a => HasAttribute(method.AttributeLists, a)))
                        found.Add(name + "." + method.Identifier.Text);
                }
            }
        }

        return found;
    }

    private static bool HasAttribute(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(l => l.Attributes).Any(a =>
        {
            string n = a.Name.ToString();
            int dot = n.LastIndexOf('.');
            if (dot >= 0) n = n[(dot + 1)..];
            return n == name || n == name + "Attribute";
        });
}
