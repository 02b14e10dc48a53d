using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>
/// The gate allows what api-surface.tsv lists; for mscorlib the real library is here to hold the list to: every
/// listed mscorlib type, method (with its parameter and return types) and field exists in the real mscorlib of
/// nanoFramework.CoreLibrary 1.17.11, so the gate never lets through a call the device's core library lacks.
/// </summary>
public class CoreLibrarySurfaceTests
{
    private static readonly SymbolDisplayFormat Spelling = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.None);

    [Fact]
    public void EveryListedMscorlibEntryIsInTheRealMscorlib()
    {
        var core = CSharpCompilation.Create("CoreProbe", Array.Empty<SyntaxTree>(), new[] { MetadataReference.CreateFromFile(RealMscorlib.Path) });
        var missing = new List<string>();
        int types = 0, methods = 0, fields = 0;
        foreach (var entry in GateTests.Surface.Types.Where(t => t.Assembly == DeviceReferenceStubs.CoreAssembly))
        {
            types++;
            var type = core.GetTypeByMetadataName(entry.Name);
            if (type == null || type.ContainingAssembly.Name != "mscorlib")
            {
                missing.Add("type " + entry.Name);
                continue;
            }

            foreach (var method in entry.Methods)
            {
                methods++;
                bool found = type.GetMembers(method.Name).OfType<IMethodSymbol>().Any(m => m.IsStatic == method.IsStatic
                    && Spell(m.ReturnType, RefKind.None) == method.Return
                    && m.Parameters.Select(p => Spell(p.Type, p.RefKind)).SequenceEqual(method.Parameters));
                if (!found) missing.Add("method " + entry.Name + "::" + method.Signature + " " + method.Return);
            }

            foreach (var field in entry.Fields)
            {
                fields++;
                bool found = field.Name == "value__"                                          // an enum's value field: Roslyn shows it as the underlying type
                    ? type.EnumUnderlyingType != null && Spell(type.EnumUnderlyingType, RefKind.None) == field.Type
                    : type.GetMembers(field.Name).OfType<IFieldSymbol>().Any(f => Spell(f.Type, RefKind.None) == field.Type);
                if (!found)
                    missing.Add("field " + entry.Name + "::" + field.Name + " " + field.Type);
            }
        }

        Assert.True(missing.Count == 0, "listed in api-surface.tsv but not in the real mscorlib " + RealMscorlib.Version + ":\n" + string.Join("\n", missing.Take(40)));
        Assert.Equal(199, types);                 // 1,251 entries: as measured against this mscorlib (nanoframework/README.md)
        Assert.Equal(1251, types + methods + fields);
    }

    /// <summary>A type as api-surface.tsv spells it: System.Int32, System.Byte[], Outer+Inner, !0 for a type parameter, &amp; for by-reference.</summary>
    private static string Spell(ITypeSymbol type, RefKind refKind)
    {
        string text = type switch
        {
            IArrayTypeSymbol array => Spell(array.ElementType, RefKind.None) + "[]",
            ITypeParameterSymbol parameter => "!" + parameter.Ordinal,
            INamedTypeSymbol { ContainingType: { } outer } named => Spell(outer, RefKind.None) + "+" + MetadataName(named),
            INamedTypeSymbol named => (named.ContainingNamespace.IsGlobalNamespace ? "" : named.ContainingNamespace.ToDisplayString(Spelling) + ".") + MetadataName(named),
            _ => type.ToDisplayString(Spelling),
        };
        return refKind == RefKind.None ? text : text + "&";
    }

    private static string MetadataName(INamedTypeSymbol type) => type.SpecialType == SpecialType.System_Void ? "Void" : type.MetadataName;
}
