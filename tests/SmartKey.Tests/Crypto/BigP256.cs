using System;
using System.Numerics;
using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Tests.Crypto;

/// <summary>Reference arithmetic with BigInteger: independent of the firmware code it checks.</summary>
public static class BigP256
{
    public static readonly BigInteger P = BigInteger.Parse("0FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", System.Globalization.NumberStyles.HexNumber);
    public static readonly BigInteger N = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
    public static readonly BigInteger B = BigInteger.Parse("05AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", System.Globalization.NumberStyles.HexNumber);
    public static readonly (BigInteger x, BigInteger y) G = (
        BigInteger.Parse("06B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296", System.Globalization.NumberStyles.HexNumber),
        BigInteger.Parse("04FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5", System.Globalization.NumberStyles.HexNumber));

    public static BigInteger FromLimbs(uint[] limbs)
    {
        var bytes = new byte[33];
        for (int i = 0; i < 8; i++) BitConverter.GetBytes(limbs[i]).CopyTo(bytes, 4 * i);
        return new BigInteger(bytes);
    }

    public static uint[] ToLimbs(BigInteger v)
    {
        var r = new uint[8];
        var bytes = v.ToByteArray(isUnsigned: true, isBigEndian: false);
        var padded = new byte[32];
        Array.Copy(bytes, padded, Math.Min(32, bytes.Length));
        for (int i = 0; i < 8; i++) r[i] = BitConverter.ToUInt32(padded, 4 * i);
        return r;
    }

    public static BigInteger Mod(BigInteger a, BigInteger m) => ((a % m) + m) % m;

    public static (BigInteger x, BigInteger y)? Add((BigInteger x, BigInteger y)? p, (BigInteger x, BigInteger y)? q)
    {
        if (p == null) return q;
        if (q == null) return p;
        var (x1, y1) = p.Value;
        var (x2, y2) = q.Value;
        BigInteger lambda;
        if (x1 == x2)
        {
            if (Mod(y1 + y2, P) == 0) return null;
            lambda = Mod((3 * x1 * x1 - 3) * BigInteger.ModPow(2 * y1, P - 2, P), P);
        }
        else
        {
            lambda = Mod((y2 - y1) * BigInteger.ModPow(Mod(x2 - x1, P), P - 2, P), P);
        }

        var x3 = Mod(lambda * lambda - x1 - x2, P);
        return (x3, Mod(lambda * (x1 - x3) - y1, P));
    }

    public static (BigInteger x, BigInteger y)? Multiply(BigInteger k, (BigInteger x, BigInteger y)? p)
    {
        (BigInteger x, BigInteger y)? r = null;
        while (k > 0)
        {
            if (!k.IsEven) r = Add(r, p);
            p = Add(p, p);
            k >>= 1;
        }

        return r;
    }

    public static (BigInteger x, BigInteger y) FromTable(uint[] table, int index)
    {
        var x = new uint[8];
        var y = new uint[8];
        Array.Copy(table, index * 16, x, 0, 8);
        Array.Copy(table, index * 16 + 8, y, 0, 8);
        return (FromLimbs(x), FromLimbs(y));
    }

    public static (BigInteger x, BigInteger y) Decode(byte[] point) =>
        (new BigInteger(point.AsSpan(1, 32), isUnsigned: true, isBigEndian: true), new BigInteger(point.AsSpan(33, 32), isUnsigned: true, isBigEndian: true));

    public static bool OnCurve((BigInteger x, BigInteger y) p) =>
        Mod(p.y * p.y - (p.x * p.x * p.x - 3 * p.x + B), P) == 0;

    public static uint[] Field(BigInteger v) => ToLimbs(Mod(v, P));

    internal static BigInteger Of(AffinePoint p, bool y) => FromLimbs(y ? p.Y : p.X);
}
