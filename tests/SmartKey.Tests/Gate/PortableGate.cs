using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SmartKey.Tests.Gate;

/// <summary>
/// Checks a host-compiled assembly of portable code against the nanoFramework API surface:
/// (a) every referenced type and member exists on the device (members resolved through base types),
/// (b) no generic type or method is declared or instantiated, (c) every referenced assembly exists on
/// the device, (d) no `shr` of a value nanoCLR tags unsigned (UnsignedShiftScan). Each violation names the
/// offending API and the portable type that uses it.
/// </summary>
public sealed class PortableGate
{
    /// <summary>Host reference assemblies whose types portable code may use, with the device assembly behind them.</summary>
    public static readonly IReadOnlyDictionary<string, string> HostAssemblies = new Dictionary<string, string>
    {
        ["System.Runtime"] = "mscorlib",
        ["System.Private.CoreLib"] = "mscorlib",
        ["System.Collections"] = "nanoFramework.System.Collections",
        ["System.Collections.NonGeneric"] = "nanoFramework.System.Collections",
        ["System.Threading"] = "mscorlib",
        ["System.Threading.Thread"] = "mscorlib",
        ["System.Text.Encoding.Extensions"] = "nanoFramework.System.Text",
    };

    /// <summary>Device assemblies portable code may use: the core runtime, never hardware libraries.</summary>
    public static readonly ISet<string> DeviceAssemblies = new HashSet<string>
    {
        "mscorlib", "nanoFramework.System.Collections", "nanoFramework.System.Text", "System.Threading", "System.Math",
    };

    private readonly ApiSurface _surface;
    private readonly ISet<string> _projectAssemblies;

    public PortableGate(ApiSurface surface, IEnumerable<string> projectAssemblies)
    {
        _surface = surface;
        _projectAssemblies = new HashSet<string>(projectAssemblies, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Check(string assemblyPath) => Check(File.ReadAllBytes(assemblyPath));

    public IReadOnlyList<string> Check(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var reader = pe.GetMetadataReader();
        var names = new SignatureNames(reader);
        var users = new UsageMap(reader, pe, names);
        var violations = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var handle in reader.AssemblyReferences)
        {
            string name = reader.GetString(reader.GetAssemblyReference(handle).Name);
            if (!HostAssemblies.ContainsKey(name) && !_projectAssemblies.Contains(name))
                violations.Add($"assembly {name} is not on the device (referenced by {users.Describe(handle)})");
        }

        foreach (var handle in reader.TypeDefinitions)
        {
            var td = reader.GetTypeDefinition(handle);
            string typeName = SignatureNames.TypeName(reader, handle);
            if (td.GetGenericParameters().Count > 0)
                violations.Add($"generic type {typeName} is declared: the nanoFramework 1.x runtime has no generics");
            foreach (var mh in td.GetMethods())
            {
                var md = reader.GetMethodDefinition(mh);
                if (md.GetGenericParameters().Count > 0)
                    violations.Add($"generic method {typeName}.{reader.GetString(md.Name)} is declared: the nanoFramework 1.x runtime has no generics");
            }
        }

        foreach (var handle in reader.TypeReferences)
        {
            if (IsProjectType(reader, handle)) continue;
            string typeName = SignatureNames.TypeName(reader, handle);
            string? problem = TypeProblem(typeName);
            if (problem != null) violations.Add($"{problem} (used by {users.Describe(handle)})");
        }

        foreach (var handle in MetadataTables.TypeSpecifications(reader))
        {
            string spec = reader.GetTypeSpecification(handle).DecodeSignature(names, null);
            if (spec.Contains(SignatureNames.GenericMarker, StringComparison.Ordinal))
                violations.Add($"generic instantiation {spec} (used by {users.Describe(handle)}): no generics on the device");
            else if (spec.Contains(',', StringComparison.Ordinal) && spec.Contains('[', StringComparison.Ordinal))
                violations.Add($"multi-dimensional array {spec} (used by {users.Describe(handle)}): not supported on the device");
        }

        foreach (var handle in MetadataTables.MethodSpecifications(reader))
        {
            var ms = reader.GetMethodSpecification(handle);
            if (ms.Method.Kind == HandleKind.MemberReference && IsAllowedLowering(reader, names, (MemberReferenceHandle)ms.Method)) continue;
            violations.Add($"generic method instantiation {MemberDisplay(reader, names, ms.Method)} (used by {users.Describe(handle)}): no generics on the device");
        }

        foreach (var handle in reader.MemberReferences)
        {
            var mr = reader.GetMemberReference(handle);
            if (mr.Parent.Kind != HandleKind.TypeReference) continue; // TypeSpec parents are reported above
            var parent = (TypeReferenceHandle)mr.Parent;
            if (IsProjectType(reader, parent)) continue;
            string typeName = SignatureNames.TypeName(reader, parent);
            if (TypeProblem(typeName) != null) continue; // already reported once for the type
            if (CompilerLowerings.Types.ContainsKey(typeName)) continue;
            string key = MemberKey(reader, names, mr);
            if (CompilerLowerings.Members.ContainsKey(typeName + "::" + key)) continue;
            if (!_surface.HasMember(typeName, key))
                violations.Add($"{typeName}::{Pretty(key)} is not in the nanoFramework API (used by {users.Describe(handle)})");
        }

        foreach (var violation in new UnsignedShiftScan(reader, names).Check(pe))
            violations.Add(violation);

        return violations.ToList();
    }

    private static bool IsAllowedLowering(MetadataReader reader, SignatureNames names, MemberReferenceHandle handle)
    {
        var mr = reader.GetMemberReference(handle);
        if (mr.Parent.Kind != HandleKind.TypeReference) return false;
        return CompilerLowerings.Members.ContainsKey(SignatureNames.TypeName(reader, mr.Parent) + "::" + MemberKey(reader, names, mr));
    }

    private string? TypeProblem(string typeName)
    {
        if (CompilerLowerings.Types.ContainsKey(typeName)) return null;
        if (!_surface.TryGetType(typeName, out var entry))
            return $"type {typeName} is not in the nanoFramework API";
        if (!DeviceAssemblies.Contains(entry.Assembly))
            return $"type {typeName} lives in device assembly {entry.Assembly}, which portable code must not use (hardware belongs behind a hal interface)";
        return null;
    }

    private bool IsProjectType(MetadataReader reader, TypeReferenceHandle handle)
    {
        var outer = SignatureNames.Outermost(reader, handle);
        if (outer.ResolutionScope.Kind != HandleKind.AssemblyReference) return outer.ResolutionScope.Kind == HandleKind.ModuleDefinition;
        var asm = reader.GetAssemblyReference((AssemblyReferenceHandle)outer.ResolutionScope);
        return _projectAssemblies.Contains(reader.GetString(asm.Name));
    }

    public static string MemberKey(MetadataReader reader, SignatureNames names, MemberReference mr)
    {
        string name = reader.GetString(mr.Name);
        if (mr.GetKind() == MemberReferenceKind.Field)
            return ApiSurface.FieldKey(name, mr.DecodeFieldSignature(names, null));
        var sig = mr.DecodeMethodSignature(names, null);
        return ApiSurface.MethodKey(name + "(" + string.Join(",", sig.ParameterTypes) + ")", sig.ReturnType);
    }

    private static string MemberDisplay(MetadataReader reader, SignatureNames names, EntityHandle method)
    {
        if (method.Kind == HandleKind.MemberReference)
        {
            var mr = reader.GetMemberReference((MemberReferenceHandle)method);
            string parent = mr.Parent.Kind == HandleKind.TypeSpecification
                ? reader.GetTypeSpecification((TypeSpecificationHandle)mr.Parent).DecodeSignature(names, null)
                : SignatureNames.TypeName(reader, mr.Parent);
            return parent + "::" + reader.GetString(mr.Name);
        }

        var md = reader.GetMethodDefinition((MethodDefinitionHandle)method);
        return SignatureNames.TypeName(reader, md.GetDeclaringType()) + "::" + reader.GetString(md.Name);
    }

    private static string Pretty(string key) => key.Substring(2);
}
