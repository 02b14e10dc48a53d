using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using SmartKey.Tests.Gate;

namespace SmartKey.Tests.Architecture;

/// <summary>
/// Which firmware types each firmware type uses, read from a compiled assembly with System.Reflection.Metadata:
/// base type, interfaces, field, method and local signatures, custom attributes and every IL operand (types,
/// methods, fields, member references). A type's room is the namespace segment after SmartKey.Firmware
/// (SmartKey.Firmware.Storage.RecordStore lives in Storage); references between assemblies count as well.
/// </summary>
public static class RoomReferences
{
    public const string Prefix = "SmartKey.Firmware.";

    /// <summary>The room of a full type name, or null when it is not a firmware type.</summary>
    public static string? RoomOf(string typeName)
    {
        if (!typeName.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        string rest = typeName.Substring(Prefix.Length);
        int end = rest.IndexOfAny(new[] { '.', '+' });
        return end < 0 ? null : rest.Substring(0, end);
    }

    /// <summary>Every (using type, used type) pair between firmware types of different rooms.</summary>
    public static IReadOnlyList<(string User, string Used)> CrossRoom(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var reader = pe.GetMetadataReader();
        var collector = new TypeCollector(reader);
        var pairs = new SortedSet<(string, string)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            string user = SignatureNames.TypeName(reader, handle);
            string? userRoom = RoomOf(user);
            if (userRoom == null) continue;
            foreach (string used in collector.UsedBy(handle, pe))
            {
                string? usedRoom = RoomOf(used);
                if (usedRoom != null && usedRoom != userRoom) pairs.Add((user, used));
            }
        }

        return new List<(string, string)>(pairs);
    }

    /// <summary>The rooms that have at least one type in the assembly.</summary>
    public static ISet<string> Rooms(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var reader = pe.GetMetadataReader();
        var rooms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            string? room = RoomOf(SignatureNames.TypeName(reader, handle));
            if (room != null) rooms.Add(room);
        }

        return rooms;
    }

    /// <summary>Type names a type definition mentions anywhere in its metadata or IL.</summary>
    private sealed class TypeCollector : ISignatureTypeProvider<int, object?>
    {
        private readonly MetadataReader _reader;
        private HashSet<string> _found = new(StringComparer.Ordinal);

        public TypeCollector(MetadataReader reader) => _reader = reader;

        public ISet<string> UsedBy(TypeDefinitionHandle handle, PEReader pe)
        {
            _found = new HashSet<string>(StringComparer.Ordinal);
            var td = _reader.GetTypeDefinition(handle);
            if (td.IsNested) AddType(td.GetDeclaringType());
            Add(td.BaseType);
            foreach (var ih in td.GetInterfaceImplementations()) Add(_reader.GetInterfaceImplementation(ih).Interface);
            Attributes(td.GetCustomAttributes());
            foreach (var fh in td.GetFields())
            {
                var fd = _reader.GetFieldDefinition(fh);
                fd.DecodeSignature(this, null);
                Attributes(fd.GetCustomAttributes());
            }

            foreach (var mh in td.GetMethods())
            {
                var md = _reader.GetMethodDefinition(mh);
                md.DecodeSignature(this, null);
                Attributes(md.GetCustomAttributes());
                if (md.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(md.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil) _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
                foreach (var token in IlTokens.Read(body.GetILBytes() ?? Array.Empty<byte>())) Add(token);
            }

            foreach (var ph in td.GetProperties()) _reader.GetPropertyDefinition(ph).DecodeSignature(this, null);
            foreach (var eh in td.GetEvents()) Add(_reader.GetEventDefinition(eh).Type);
            return _found;
        }

        private void Attributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var ah in attributes) Add(_reader.GetCustomAttribute(ah).Constructor);
        }

        private void Add(EntityHandle handle)
        {
            if (handle.IsNil) return;
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    AddType((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeReference:
                    _found.Add(SignatureNames.TypeName(_reader, (TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    var md = _reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    AddType(md.GetDeclaringType());
                    md.DecodeSignature(this, null);
                    break;
                case HandleKind.FieldDefinition:
                    var fd = _reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    AddType(fd.GetDeclaringType());
                    fd.DecodeSignature(this, null);
                    break;
                case HandleKind.MemberReference:
                    var mr = _reader.GetMemberReference((MemberReferenceHandle)handle);
                    Add(mr.Parent);
                    if (mr.GetKind() == MemberReferenceKind.Field) mr.DecodeFieldSignature(this, null);
                    else mr.DecodeMethodSignature(this, null);
                    break;
                case HandleKind.MethodSpecification:
                    var ms = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Add(ms.Method);
                    ms.DecodeSignature(this, null);
                    break;
            }
        }

        private void AddType(TypeDefinitionHandle handle) => _found.Add(SignatureNames.TypeName(_reader, handle));

        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) { AddType(handle); return 0; }
        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) { Add(handle); return 0; }
        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) { Add(handle); return 0; }
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
