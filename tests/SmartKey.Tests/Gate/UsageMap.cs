using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SmartKey.Tests.Gate;

/// <summary>
/// Which portable types use which metadata entities (type, member and method-spec references, and
/// through them assembly references): found in IL operands, signatures, base types, interfaces and
/// custom attributes. It only makes the gate's messages name the culprit; the checks themselves walk
/// the whole reference tables, so nothing escapes when a use is not traced here.
/// </summary>
public sealed class UsageMap
{
    private readonly MetadataReader _reader;
    private readonly Dictionary<EntityHandle, SortedSet<string>> _users = new();

    public UsageMap(MetadataReader reader, PEReader pe, SignatureNames names)
    {
        _reader = reader;
        var collector = new HandleCollector(reader);
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var td = reader.GetTypeDefinition(typeHandle);
            string user = SignatureNames.TypeName(reader, typeHandle);
            if (!td.BaseType.IsNil) Add(td.BaseType, user);
            foreach (var ih in td.GetInterfaceImplementations()) Add(reader.GetInterfaceImplementation(ih).Interface, user);
            AddAttributes(td.GetCustomAttributes(), user);

            foreach (var fh in td.GetFields())
            {
                var fd = reader.GetFieldDefinition(fh);
                AddAll(collector.Collect(() => fd.DecodeSignature(collector, null)), user);
                AddAttributes(fd.GetCustomAttributes(), user);
            }

            foreach (var mh in td.GetMethods())
            {
                var md = reader.GetMethodDefinition(mh);
                AddAll(collector.Collect(() => md.DecodeSignature(collector, null)), user);
                AddAttributes(md.GetCustomAttributes(), user);
                if (md.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(md.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                {
                    var locals = reader.GetStandaloneSignature(body.LocalSignature);
                    AddAll(collector.Collect(() => locals.DecodeLocalSignature(collector, null)), user);
                }

                foreach (var token in IlTokens.Read(body.GetILBytes() ?? System.Array.Empty<byte>()))
                    Add(token, user);
            }
        }

        AddAttributes(reader.GetAssemblyDefinition().GetCustomAttributes(), "(assembly attributes)");
        foreach (var mh in reader.MemberReferences)
        {
            var mr = reader.GetMemberReference(mh);
            if (_users.TryGetValue(mh, out var users)) AddAll(new[] { mr.Parent }, users);
        }

        foreach (var sh in MetadataTables.MethodSpecifications(reader))
        {
            var ms = reader.GetMethodSpecification(sh);
            if (_users.TryGetValue(sh, out var users)) AddAll(new[] { ms.Method }, users);
        }
    }

    public string Describe(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.AssemblyReference)
        {
            var users = new SortedSet<string>();
            foreach (var tr in _reader.TypeReferences)
            {
                var outer = SignatureNames.Outermost(_reader, tr);
                if (outer.ResolutionScope == handle && _users.TryGetValue(tr, out var u)) users.UnionWith(u);
            }

            return Format(users);
        }

        return _users.TryGetValue(handle, out var set) ? Format(set) : "compiler-generated metadata";
    }

    private static string Format(SortedSet<string> users) =>
        users.Count == 0 ? "compiler-generated metadata" : string.Join(", ", users.Take(3)) + (users.Count > 3 ? ", …" : "");

    private void AddAttributes(CustomAttributeHandleCollection attributes, string user)
    {
        foreach (var ah in attributes) Add(_reader.GetCustomAttribute(ah).Constructor, user);
    }

    private void AddAll(IEnumerable<EntityHandle> handles, IEnumerable<string> users)
    {
        foreach (var h in handles)
            foreach (var u in users.ToList())
                Add(h, u);
    }

    private void AddAll(IEnumerable<EntityHandle> handles, string user)
    {
        foreach (var h in handles) Add(h, user);
    }

    private void Add(EntityHandle handle, string user)
    {
        if (handle.IsNil) return;
        if (!_users.TryGetValue(handle, out var set)) _users[handle] = set = new SortedSet<string>(StringComparer.Ordinal);
        if (!set.Add(user)) return;
        if (handle.Kind == HandleKind.TypeReference)
        {
            var tr = _reader.GetTypeReference((TypeReferenceHandle)handle);
            if (tr.ResolutionScope.Kind == HandleKind.TypeReference) Add((EntityHandle)tr.ResolutionScope, user);
        }
        else if (handle.Kind == HandleKind.MemberReference)
        {
            var mr = _reader.GetMemberReference((MemberReferenceHandle)handle);
            Add(mr.Parent, user);
            var collector = new HandleCollector(_reader);
            var found = mr.GetKind() == MemberReferenceKind.Field
                ? collector.Collect(() => mr.DecodeFieldSignature(collector, null))
                : collector.Collect(() => mr.DecodeMethodSignature(collector, null));
            foreach (var inner in found) Add(inner, user);
        }
        else if (handle.Kind == HandleKind.TypeSpecification)
        {
            var spec = _reader.GetTypeSpecification((TypeSpecificationHandle)handle);
            var collector = new HandleCollector(_reader);
            foreach (var inner in collector.Collect(() => spec.DecodeSignature(collector, null))) Add(inner, user);
        }
    }

    /// <summary>Records every type handle a signature mentions.</summary>
    private sealed class HandleCollector : ISignatureTypeProvider<int, object?>
    {
        private readonly MetadataReader _reader;
        private List<EntityHandle> _found = new();

        public HandleCollector(MetadataReader reader) => _reader = reader;

        public List<EntityHandle> Collect(Action decode)
        {
            _found = new List<EntityHandle>();
            decode();
            return _found;
        }

        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) { _found.Add(handle); return 0; }
        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) { _found.Add(handle); return 0; }
        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => 0;
        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
        public int GetSZArrayType(int elementType) => 0;
        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetPointerType(int elementType) => 0;
        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
        public int GetGenericTypeParameter(object? genericContext, int index) => 0;
        public int GetGenericMethodParameter(object? genericContext, int index) => 0;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
        public int GetPinnedType(int elementType) => 0;
    }
}
