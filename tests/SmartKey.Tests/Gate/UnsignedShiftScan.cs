using System.Collections.Generic;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SmartKey.Tests.Gate;

/// <summary>
/// Finds `shr` (C#'s `>>` on int/long) applied to a value nanoCLR has tagged unsigned. nanoCLR keeps a type tag on
/// every evaluation-stack value and shifts a value tagged uint/ulong logically, whatever the opcode: a value is
/// tagged unsigned when it is loaded from a uint/ulong local, parameter, field or array element, converted by
/// conv.u4/conv.u8 (C# emits conv.u8 for uint → long), or returned by a method declared uint/ulong; arithmetic and
/// bitwise opcodes keep the tag of their left operand, and casts between same-sized signed and unsigned types emit
/// no IL. Storing into a signed local or field re-tags it signed. The simulation runs per basic block (the stack is
/// forgotten at every branch target and after every jump, and a value popped from a forgotten stack is not
/// unsigned), so it finds the pattern inside an expression or straight-line code, and never guesses across paths.
/// </summary>
public sealed class UnsignedShiftScan
{
    private readonly MetadataReader _reader;
    private readonly SignatureNames _names;

    public UnsignedShiftScan(MetadataReader reader, SignatureNames names)
    {
        _reader = reader;
        _names = names;
    }

    public IEnumerable<string> Check(PEReader pe)
    {
        foreach (var typeHandle in _reader.TypeDefinitions)
        {
            string typeName = SignatureNames.TypeName(_reader, typeHandle);
            foreach (var methodHandle in _reader.GetTypeDefinition(typeHandle).GetMethods())
            {
                var method = _reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                foreach (int offset in Scan(method, body))
                    yield return $"shr of a value computed from unsigned operands in {typeName}::{_reader.GetString(method.Name)} at IL_{offset:x4}: "
                        + "nanoCLR shifts it logically (no sign); shift an unsigned type, or take the sign another way (docs/crypto.md)";
            }
        }
    }

    private static bool IsUnsigned(string type) => type == "System.UInt32" || type == "System.UInt64";

    private IEnumerable<int> Scan(MethodDefinition method, MethodBodyBlock body)
    {
        var signature = method.DecodeSignature(_names, null);
        var arguments = new List<bool>();
        if (signature.Header.IsInstance) arguments.Add(false);
        foreach (var p in signature.ParameterTypes) arguments.Add(IsUnsigned(p));
        var locals = ImmutableArray<string>.Empty;
        if (!body.LocalSignature.IsNil)
            locals = _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_names, null);

        byte[] il = body.GetILBytes() ?? System.Array.Empty<byte>();
        var targets = BranchTargets(il, body);
        var stack = new Stack<bool>();
        var found = new List<int>();
        int i = 0;
        while (i < il.Length)
        {
            if (targets.Contains(i)) stack.Clear();
            int at = i;
            int op = il[i++];
            bool Pop() => stack.Count > 0 && stack.Pop();
            void PopN(int n) { for (int k = 0; k < n; k++) Pop(); }
            bool Local(int index) => index < locals.Length && IsUnsigned(locals[index]);
            bool Argument(int index) => index < arguments.Count && arguments[index];

            if (op == 0xFE)
            {
                int op2 = il[i++];
                switch (op2)
                {
                    case >= 0x01 and <= 0x05: PopN(2); stack.Push(false); break;              // ceq, cgt(.un), clt(.un)
                    case 0x06: i += 4; stack.Push(false); break;                              // ldftn
                    case 0x07: i += 4; Pop(); stack.Push(false); break;                       // ldvirtftn
                    case 0x09: stack.Push(Argument(U16(il, i))); i += 2; break;               // ldarg
                    case 0x0A: case 0x0D: i += 2; stack.Push(false); break;                   // ldarga, ldloca
                    case 0x0B: case 0x0E: i += 2; Pop(); break;                               // starg, stloc
                    case 0x0C: stack.Push(Local(U16(il, i))); i += 2; break;                  // ldloc
                    case 0x0F: Pop(); stack.Push(false); break;                               // localloc
                    case 0x12: case 0x19: i += 1; break;                                      // unaligned., no.
                    case 0x13: case 0x14: case 0x1E: break;                                   // volatile., tail., readonly.
                    case 0x15: i += 4; Pop(); break;                                          // initobj
                    case 0x16: i += 4; break;                                                 // constrained.
                    case 0x17: case 0x18: PopN(3); break;                                     // cpblk, initblk
                    case 0x1C: i += 4; stack.Push(false); break;                              // sizeof
                    case 0x1D: Pop(); stack.Push(false); break;                               // refanytype
                    default: stack.Clear(); break;                                            // arglist, endfilter, rethrow
                }

                continue;
            }

            switch (op)
            {
                case 0x00: case 0x01: break;                                                  // nop, break
                case >= 0x02 and <= 0x05: stack.Push(Argument(op - 0x02)); break;             // ldarg.0-3
                case >= 0x06 and <= 0x09: stack.Push(Local(op - 0x06)); break;                // ldloc.0-3
                case >= 0x0A and <= 0x0D: Pop(); break;                                       // stloc.0-3
                case 0x0E: stack.Push(Argument(il[i++])); break;                              // ldarg.s
                case 0x0F: case 0x12: i++; stack.Push(false); break;                          // ldarga.s, ldloca.s
                case 0x10: case 0x13: i++; Pop(); break;                                      // starg.s, stloc.s
                case 0x11: stack.Push(Local(il[i++])); break;                                 // ldloc.s
                case 0x14: case >= 0x15 and <= 0x1E: stack.Push(false); break;                // ldnull, ldc.i4.m1-8
                case 0x1F: i += 1; stack.Push(false); break;                                  // ldc.i4.s
                case 0x20: case 0x22: i += 4; stack.Push(false); break;                       // ldc.i4, ldc.r4
                case 0x21: case 0x23: i += 8; stack.Push(false); break;                       // ldc.i8, ldc.r8
                case 0x25: { bool top = Pop(); stack.Push(top); stack.Push(top); break; }    // dup
                case 0x26: Pop(); break;                                                      // pop
                case 0x28: case 0x6F: case 0x73: Call(op, Token(il, i), stack); i += 4; break; // call, callvirt, newobj
                case 0x27: case 0x29: i += 4; stack.Clear(); break;                           // jmp, calli
                case 0x2A: case 0x7A: case 0xDC: stack.Clear(); break;                        // ret, throw, endfinally
                case 0x2B: case 0xDE: i += 1; stack.Clear(); break;                           // br.s, leave.s
                case 0x2C: case 0x2D: i += 1; Pop(); break;                                   // brfalse.s, brtrue.s
                case >= 0x2E and <= 0x37: i += 1; PopN(2); break;                             // beq.s … blt.un.s
                case 0x38: case 0xDD: i += 4; stack.Clear(); break;                           // br, leave
                case 0x39: case 0x3A: i += 4; Pop(); break;                                   // brfalse, brtrue
                case >= 0x3B and <= 0x44: i += 4; PopN(2); break;                             // beq … blt.un
                case 0x45: i += 4 + 4 * I32(il, i); Pop(); break;                             // switch
                case >= 0x46 and <= 0x50: Pop(); stack.Push(op == 0x4B); break;               // ldind.* (0x4B: ldind.u4)
                case >= 0x51 and <= 0x57: case 0xDF: PopN(2); break;                          // stind.*
                case 0x63:                                                                    // shr
                    Pop();
                    if (Pop()) found.Add(at);
                    stack.Push(false);
                    break;
                case >= 0x58 and <= 0x64: case >= 0xD6 and <= 0xDB:                          // binary arithmetic and logic
                    Pop();
                    stack.Push(Pop());
                    break;
                case 0x65: case 0x66: stack.Push(Pop()); break;                               // neg, not
                case 0x6D: case 0x6E: case 0x88: case 0x89: case 0xB8: case 0xBA:            // conv(.ovf)(.un).u4/u8
                    Pop(); stack.Push(true); break;
                case >= 0x67 and <= 0x6C: case 0x76: case >= 0x82 and <= 0x8B: case >= 0xB3 and <= 0xBA:
                case 0xC3: case >= 0xD1 and <= 0xD5: case 0xE0:                               // other conversions, ckfinite
                    Pop(); stack.Push(false); break;
                case 0x70: case 0x81: i += 4; PopN(2); break;                                 // cpobj, stobj
                case 0x71: case 0x74: case 0x75: case 0x79: case 0x8C: case 0x8D: case 0xA5: case 0xC2: case 0xC6:
                    i += 4; Pop(); stack.Push(false); break;                                  // ldobj, castclass, isinst, unbox, box, newarr, unbox.any, refanyval, mkrefany
                case 0x72: case 0xD0: case 0x7F: i += 4; stack.Push(false); break;            // ldstr, ldtoken, ldsflda
                case 0x7B: Pop(); stack.Push(FieldIsUnsigned(Token(il, i))); i += 4; break;   // ldfld
                case 0x7C: i += 4; Pop(); stack.Push(false); break;                           // ldflda
                case 0x7D: i += 4; PopN(2); break;                                            // stfld
                case 0x7E: stack.Push(FieldIsUnsigned(Token(il, i))); i += 4; break;          // ldsfld
                case 0x80: i += 4; Pop(); break;                                              // stsfld
                case 0x8E: Pop(); stack.Push(false); break;                                   // ldlen
                case 0x8F: case 0xA3: i += 4; PopN(2); stack.Push(false); break;              // ldelema, ldelem
                case >= 0x90 and <= 0x9A: PopN(2); stack.Push(op == 0x95); break;             // ldelem.* (0x95: ldelem.u4)
                case >= 0x9B and <= 0xA2: PopN(3); break;                                     // stelem.*
                case 0xA4: i += 4; PopN(3); break;                                            // stelem
                default: return found;                                                        // not an opcode C# emits here: stop
            }
        }

        return found;
    }

    private void Call(int op, EntityHandle token, Stack<bool> stack)
    {
        MethodSignature<string> signature;
        switch (token.Kind)
        {
            case HandleKind.MethodDefinition:
                signature = _reader.GetMethodDefinition((MethodDefinitionHandle)token).DecodeSignature(_names, null);
                break;
            case HandleKind.MemberReference:
                signature = _reader.GetMemberReference((MemberReferenceHandle)token).DecodeMethodSignature(_names, null);
                break;
            case HandleKind.MethodSpecification:
                var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)token);
                Call(op, spec.Method, stack);
                return;
            default:
                stack.Clear();
                return;
        }

        int pops = signature.ParameterTypes.Length + (signature.Header.IsInstance && op != 0x73 ? 1 : 0);
        for (int k = 0; k < pops && stack.Count > 0; k++) stack.Pop();
        if (op == 0x73) stack.Push(false);
        else if (signature.ReturnType != "System.Void") stack.Push(IsUnsigned(signature.ReturnType));
    }

    private bool FieldIsUnsigned(EntityHandle token) => token.Kind switch
    {
        HandleKind.FieldDefinition => IsUnsigned(_reader.GetFieldDefinition((FieldDefinitionHandle)token).DecodeSignature(_names, null)),
        HandleKind.MemberReference => IsUnsigned(_reader.GetMemberReference((MemberReferenceHandle)token).DecodeFieldSignature(_names, null)),
        _ => false,
    };

    /// <summary>Offsets where control can arrive other than by falling through: branch and switch targets, handler and try starts.</summary>
    private static HashSet<int> BranchTargets(byte[] il, MethodBodyBlock body)
    {
        var targets = new HashSet<int>();
        foreach (var region in body.ExceptionRegions)
        {
            targets.Add(region.TryOffset);
            targets.Add(region.HandlerOffset);
            if (region.Kind == ExceptionRegionKind.Filter) targets.Add(region.FilterOffset);
        }

        int i = 0;
        while (i < il.Length)
        {
            int op = il[i++];
            if (op == 0xFE)
            {
                int op2 = il[i++];
                i += op2 switch
                {
                    0x06 or 0x07 or 0x15 or 0x16 or 0x1C => 4,
                    0x09 or 0x0A or 0x0B or 0x0C or 0x0D or 0x0E => 2,
                    0x12 or 0x19 => 1,
                    _ => 0,
                };
                continue;
            }

            switch (op)
            {
                case >= 0x2B and <= 0x37: case 0xDE: targets.Add(i + 1 + (sbyte)il[i]); i += 1; break;
                case >= 0x38 and <= 0x44: case 0xDD: targets.Add(i + 4 + I32(il, i)); i += 4; break;
                case 0x45:
                    int n = I32(il, i);
                    int next = i + 4 + 4 * n;
                    for (int k = 0; k < n; k++) targets.Add(next + I32(il, i + 4 + 4 * k));
                    i = next;
                    break;
                case 0x0E: case 0x0F: case 0x10: case 0x11: case 0x12: case 0x13: case 0x1F: i += 1; break;
                case 0x20: case 0x22: i += 4; break;
                case 0x21: case 0x23: i += 8; break;
                case 0x27: case 0x28: case 0x29: case 0x6F: case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75:
                case 0x79: case >= 0x7B and <= 0x81: case 0x8C: case 0x8D: case 0x8F: case 0xA3: case 0xA4: case 0xA5:
                case 0xC2: case 0xC6: case 0xD0:
                    i += 4; break;
            }
        }

        return targets;
    }

    private static EntityHandle Token(byte[] il, int at) => MetadataTokens.EntityHandle(I32(il, at));

    private static int I32(byte[] il, int at) => il[at] | (il[at + 1] << 8) | (il[at + 2] << 16) | (il[at + 3] << 24);

    private static int U16(byte[] il, int at) => il[at] | (il[at + 1] << 8);
}
