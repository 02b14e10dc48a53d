using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace SmartKey.Benchmarks.IlMeter;

/// <summary>
/// The inputs of the metered operations, made once (deterministic where the meter's are), so that the IL meter and the
/// interpreter run (InterpreterFigures, Interpreter/OnInterpreter.cs) work on the same bytes. Each operation's inputs
/// are byte arrays; field elements are 8 limbs, least significant first, 4 bytes each little-endian.
/// </summary>
public static class MeteredInputs
{
    private static readonly Dictionary<string, byte[][]> Made = new();

    /// <summary>The operations both the meter and the interpreter run, with their inputs.</summary>
    public static readonly string[] Shared =
    {
        "sha256-1k", "hmac-64", "field-mul", "field-sqr", "field-add", "field-invert", "scalar-invert", "scalar-invert-public",
        "point-double", "point-add-mixed", "point-add", "ecdsa-verify", "ecdh", "pairing-prepare", "pairing-device",
        "pairing-device-unprepared", "ota-chunk-hash-4k", "unlock-device",
    };

    /// <summary>A fresh copy of the operation's inputs (an operation may write into what it is given).</summary>
    public static byte[][] Of(string operation)
    {
        lock (Made)
        {
            if (!Made.TryGetValue(operation, out var inputs)) Made[operation] = inputs = Make(operation);
            return Array.ConvertAll(inputs, input => (byte[])input.Clone());
        }
    }

    private static byte[][] Make(string operation)
    {
        switch (operation)
        {
            case "sha256-1k": return new[] { Bytes(1024, 1) };
            case "hmac-64": return new[] { Bytes(32, 2), Bytes(64, 3) };
            case "field-mul": return new[] { Limbs(Element(4)), Limbs(Element(5)) };
            case "field-sqr": return new[] { Limbs(Element(6)) };
            case "field-add": return new[] { Limbs(Element(7)), Limbs(Element(8)) };
            case "field-invert": return new[] { Limbs(Element(9)) };
            case "scalar-invert":
            case "scalar-invert-public": return new[] { Limbs(Element(10)) };
            case "point-double":
            case "point-add-mixed":
            case "point-add": return Array.Empty<byte[]>();
            case "ecdsa-verify":
                // RFC 6979 A.2.5 (P-256, SHA-256, "sample"): a fixed signature, so the figure repeats run to run.
                return new[]
                {
                    Convert.FromHexString("04" + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                        + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"),
                    SHA256.HashData(Encoding.ASCII.GetBytes("sample")),
                    Convert.FromHexString("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
                        + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"),
                };
            case "ecdh":
            {
                // Fixed keys (the meter's and the interpreter's runs see the same); the peer's point from the firmware's own code.
                byte[] self = Scalar(new Random(14)), peer = Scalar(new Random(15));
                return new[] { self, new SmartKey.Firmware.Crypto.EcdhP256().PublicKeyOf(peer) };
            }

            case "pairing-prepare":
            {
                var rng = new Random(1);
                return new[] { Scalar(rng), Scalar(rng) };                      // w0, w1
            }

            case "pairing-device":
            case "pairing-device-unprepared":
            {
                var rng = new Random(1);
                byte[] w0 = Scalar(rng), w1 = Scalar(rng), x = Scalar(rng), y = Scalar(rng);
                return new[] { w0, w1, x, y };
            }

            case "ota-chunk-hash-4k": return new[] { Bytes(4096, 12) };
            case "unlock-device": return new[] { Bytes(32, 9), Bytes(8, 10), Bytes(8, 11) };
            default: throw new ArgumentException("no inputs for " + operation);
        }
    }

    /// <summary>Every shared operation's inputs as one record: u8 count | per input u16 length | bytes.</summary>
    public static byte[] Packed(string operation)
    {
        var s = new MemoryStream();
        byte[][] inputs = Of(operation);
        s.WriteByte((byte)inputs.Length);
        foreach (byte[] input in inputs)
        {
            s.WriteByte((byte)input.Length);
            s.WriteByte((byte)(input.Length >> 8));
            s.Write(input);
        }

        return s.ToArray();
    }

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static uint[] Element(int seed)
    {
        var rng = new Random(seed);
        var r = new uint[8];
        for (int i = 0; i < 8; i++) r[i] = (uint)rng.NextInt64(0, 1L << 32);
        r[7] &= 0x7FFFFFFF;
        return r;
    }

    public static uint[] Element(byte[] limbs)
    {
        var r = new uint[8];
        for (int i = 0; i < 8; i++) r[i] = BitConverter.ToUInt32(limbs, 4 * i);
        return r;
    }

    public static byte[] Scalar(Random rng)
    {
        var bytes = new byte[32];
        rng.NextBytes(bytes);
        bytes[0] &= 0x7F;
        bytes[31] |= 1;
        return bytes;
    }

    private static byte[] Limbs(uint[] element)
    {
        var bytes = new byte[32];
        for (int i = 0; i < 8; i++) BitConverter.GetBytes(element[i]).CopyTo(bytes, 4 * i);
        return bytes;
    }
}
