using System.Collections.Generic;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace SmartKey.Tests.Gate;

/// <summary>Walks CIL bytes and yields the metadata tokens of operands (calls, fields, types, ldtoken).</summary>
public static class IlTokens
{
    public static IEnumerable<EntityHandle> Read(byte[] il)
    {
        int i = 0;
        while (i < il.Length)
        {
            int op = il[i++];
            if (op == 0xFE)
            {
                int op2 = il[i++];
                switch (op2)
                {
                    case 0x06: case 0x07: case 0x15: case 0x16: case 0x1C: // ldftn, ldvirtftn, initobj, constrained., sizeof
                        yield return Token(il, i); i += 4; break;
                    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x0E: i += 2; break; // arg/loc with uint16
                    case 0x12: case 0x19: i += 1; break; // unaligned., no.
                }

                continue;
            }

            switch (op)
            {
                case >= 0x0E and <= 0x13: case 0x1F: case >= 0x2B and <= 0x37: case 0xDE:
                    i += 1; break; // short var / int8 / short branch
                case 0x20: case 0x22: case >= 0x38 and <= 0x44: case 0xDD: case 0x72: case 0x29:
                    i += 4; break; // int32, float32, branch, leave, ldstr, calli (signature)
                case 0x21: case 0x23:
                    i += 8; break; // int64, float64
                case 0x45:
                    int n = il[i] | (il[i + 1] << 8) | (il[i + 2] << 16) | (il[i + 3] << 24);
                    i += 4 + 4 * n; break; // switch
                case 0x27: case 0x28: case 0x6F: case 0x73: // jmp, call, callvirt, newobj
                case 0x70: case 0x71: case 0x74: case 0x75: case 0x79: case 0x81: case 0x8C: case 0x8D: case 0x8F:
                case 0xA3: case 0xA4: case 0xA5: case 0xC2: case 0xC6: // type operands
                case >= 0x7B and <= 0x80: // field operands
                case 0xD0: // ldtoken
                    yield return Token(il, i); i += 4; break;
            }
        }
    }

    private static EntityHandle Token(byte[] il, int at)
    {
        int token = il[at] | (il[at + 1] << 8) | (il[at + 2] << 16) | (il[at + 3] << 24);
        return MetadataTokens.EntityHandle(token);
    }
}
