using System;
using System.Numerics;
using SmartKey.Firmware.Crypto.P256;
using Xunit;

namespace SmartKey.Tests.Crypto;

/// <summary>Field and scalar arithmetic against BigInteger on seeded random and edge values.</summary>
public class FieldTests
{
    private static BigInteger RandomBelow(Random rng, BigInteger m)
    {
        var bytes = new byte[33];
        rng.NextBytes(bytes);
        bytes[32] = 0;
        return new BigInteger(bytes) % m;
    }

    private static BigInteger[] Values(Random rng, BigInteger m)
    {
        var edge = new[] { BigInteger.Zero, BigInteger.One, 2, m - 1, m - 2, (BigInteger.One << 255), (BigInteger.One << 224) - 1, (BigInteger.One << 32) - 1, m >> 1 };
        var all = new BigInteger[edge.Length + 2000];
        edge.CopyTo(all, 0);
        for (int i = edge.Length; i < all.Length; i++)
        {
            // Mix uniform values with values full of all-ones and all-zero limbs, where carries misbehave.
            var v = RandomBelow(rng, m);
            if (i % 3 == 0)
            {
                var limbs = BigP256.ToLimbs(v);
                for (int l = 0; l < 8; l++) if (rng.Next(3) == 0) limbs[l] = rng.Next(2) == 0 ? 0u : 0xFFFFFFFFu;
                v = BigP256.FromLimbs(limbs) % m;
            }

            all[i] = v;
        }

        return all;
    }

    [Fact]
    public void FieldOperationsMatchBigInteger()
    {
        var rng = new Random(256);
        var p = BigP256.P;
        var values = Values(rng, p);
        var r = new uint[8];
        int checks = 0;
        for (int i = 0; i < values.Length; i++)
        {
            var a = values[i];
            var b = values[(i * 7 + 3) % values.Length];
            uint[] la = BigP256.ToLimbs(a), lb = BigP256.ToLimbs(b);
            Field.Multiply(r, la, lb); Assert.Equal(a * b % p, BigP256.FromLimbs(r));
            Field.Square(r, la); Assert.Equal(a * a % p, BigP256.FromLimbs(r));
            Field.Add(r, la, lb); Assert.Equal((a + b) % p, BigP256.FromLimbs(r));
            Field.Subtract(r, la, lb); Assert.Equal(BigP256.Mod(a - b, p), BigP256.FromLimbs(r));
            Field.Negate(r, la); Assert.Equal(BigP256.Mod(-a, p), BigP256.FromLimbs(r));
            checks += 5;
        }

        Assert.Equal(5 * 2009, checks);
    }

    [Fact]
    public void InversionAndSquareRootMatchBigInteger()
    {
        var rng = new Random(7);
        var p = BigP256.P;
        uint[] r = new uint[8], t0 = new uint[8], t1 = new uint[8], t2 = new uint[8], t3 = new uint[8];
        int roots = 0;
        for (int i = 0; i < 200; i++)
        {
            var a = i == 0 ? p - 1 : BigInteger.One + RandomBelow(rng, p - 1);
            Field.Invert(r, BigP256.ToLimbs(a), t0, t1, t2, t3);
            Assert.Equal(BigInteger.ModPow(a, p - 2, p), BigP256.FromLimbs(r));
            Field.SquareRoot(r, BigP256.ToLimbs(a), t0, t1);
            var root = BigP256.FromLimbs(r);
            bool isSquare = BigInteger.ModPow(a, (p - 1) / 2, p) == 1;
            Assert.Equal(isSquare, root * root % p == a);
            roots += isSquare ? 1 : 0;
        }

        Assert.InRange(roots, 60, 140);
    }

    [Fact]
    public void ScalarOperationsMatchBigInteger()
    {
        var rng = new Random(11);
        var n = BigP256.N;
        var scalar = new Scalar();
        var values = Values(rng, n);
        var r = new uint[8];
        for (int i = 0; i < values.Length; i++)
        {
            var a = values[i];
            var b = values[(i * 13 + 5) % values.Length];
            scalar.Multiply(r, BigP256.ToLimbs(a), BigP256.ToLimbs(b)); Assert.Equal(a * b % n, BigP256.FromLimbs(r));
            Scalar.Add(r, BigP256.ToLimbs(a), BigP256.ToLimbs(b)); Assert.Equal((a + b) % n, BigP256.FromLimbs(r));
            Scalar.Negate(r, BigP256.ToLimbs(a)); Assert.Equal(BigP256.Mod(-a, n), BigP256.FromLimbs(r));
            if (a != 0 && i < 300)
            {
                scalar.Invert(r, BigP256.ToLimbs(a));
                Assert.Equal(BigInteger.ModPow(a, n - 2, n), BigP256.FromLimbs(r));
            }

            if (a != 0)
            {
                scalar.InvertPublic(r, BigP256.ToLimbs(a));
                Assert.Equal(BigInteger.ModPow(a, n - 2, n), BigP256.FromLimbs(r));
            }
        }

        // 40-byte values (RFC 9383's w0s, w1s) reduce modulo n.
        for (int i = 0; i < 100; i++)
        {
            var bytes = new byte[40];
            rng.NextBytes(bytes);
            scalar.ReduceWide(bytes, 0, 40, r);
            Assert.Equal(new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % n, BigP256.FromLimbs(r));
        }
    }

    [Fact]
    public void ScalarConstantsAreRight()
    {
        Assert.Equal(BigP256.N, BigP256.FromLimbs(Scalar.N));
        Assert.Equal(BigInteger.ModPow(2, 512, BigP256.N), BigP256.FromLimbs(Scalar.RSquared));
        Assert.Equal(BigP256.P, BigP256.FromLimbs(Field.P));
        Assert.Equal(BigP256.B, BigP256.FromLimbs(PointCodec.B));
    }

    [Fact]
    public void DecodingRefusesValuesNotBelowTheModulus()
    {
        var bytes = BigP256.P.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.False(Field.TryDecode(bytes, 0, new uint[8]));
        bytes[31]--;
        Assert.True(Field.TryDecode(bytes, 0, new uint[8]));
        var n = BigP256.N.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.False(Scalar.TryDecodeNonZero(n, 0, new uint[8]));
        Assert.False(Scalar.TryDecodeNonZero(new byte[32], 0, new uint[8]));
    }
}
