using System;
using System.Security.Cryptography;
using SmartKey.Firmware.Crypto;
using Xunit;

namespace SmartKey.Tests.Crypto;

/// <summary>
/// ECDH P-256. Wycheproof "acceptable" cases are public keys that are legal but unusual: compressed points
/// (which this implementation accepts, and then must compute correctly) and ASN.1 encodings with explicit or
/// altered curve parameters (which the strict SubjectPublicKeyInfo parser refuses). Both outcomes are counted.
/// </summary>
public class EcdhTests
{
    private static byte[] PrivateKey(WycheproofCase c)
    {
        byte[] raw = c.Bytes("private");
        int skip = 0;
        while (raw.Length - skip > 32 && raw[skip] == 0) skip++;
        var key = new byte[32];
        Array.Copy(raw, skip, key, 32 - (raw.Length - skip), raw.Length - skip);
        return key;
    }

    [Fact]
    public void WycheproofEcPointVectors()
    {
        var (declared, cases) = Wycheproof.Load("ecdh_secp256r1_ecpoint_test.json");
        var ecdh = new EcdhP256();
        int valid = 0, invalid = 0, acceptableAccepted = 0, acceptableRefused = 0;
        foreach (var c in cases)
        {
            byte[] pub = c.Bytes("public");
            var shared = new byte[32];
            bool ok = ecdh.TryComputeSharedSecret(PrivateKey(c), pub, 0, pub.Length, shared, 0);
            Classify(c, ok, shared, ref valid, ref invalid, ref acceptableAccepted, ref acceptableRefused);
        }

        Assert.Equal(declared, cases.Count);
        Assert.Equal((330, 24), (valid, invalid));
        Assert.Equal(1, acceptableAccepted + acceptableRefused);
    }

    [Fact]
    public void WycheproofAsnVectors()
    {
        var (declared, cases) = Wycheproof.Load("ecdh_secp256r1_test.json");
        var ecdh = new EcdhP256();
        int valid = 0, invalid = 0, acceptableAccepted = 0, acceptableRefused = 0;
        foreach (var c in cases)
        {
            byte[] spki = c.Bytes("public");
            var shared = new byte[32];
            bool ok = Der.TryParseP256PublicKeyInfo(spki, 0, spki.Length, out int at, out int length)
                      && ecdh.TryComputeSharedSecret(PrivateKey(c), spki, at, length, shared, 0);
            Classify(c, ok, shared, ref valid, ref invalid, ref acceptableAccepted, ref acceptableRefused);
        }

        Assert.Equal(declared, cases.Count);
        Assert.Equal((330, 52), (valid, invalid));
        Assert.Equal(230, acceptableAccepted + acceptableRefused);
        Assert.True(acceptableAccepted > 0, "compressed points are accepted");
    }

    private static void Classify(WycheproofCase c, bool ok, byte[] shared, ref int valid, ref int invalid, ref int acceptableAccepted, ref int acceptableRefused)
    {
        switch (c.Result)
        {
            case "valid":
                Assert.True(ok, c.ToString());
                Assert.Equal(c.Bytes("shared"), shared);
                valid++;
                break;
            case "invalid":
                Assert.False(ok, c.ToString());
                invalid++;
                break;
            default:
                if (ok)
                {
                    Assert.Equal(c.Bytes("shared"), shared);
                    acceptableAccepted++;
                }
                else
                {
                    acceptableRefused++;
                }

                break;
        }
    }

    [Fact]
    public void AgreesWithDotNetAndDerivesPublicKeys()
    {
        var ecdh = new EcdhP256();
        int runs = 0;
        for (int i = 0; i < 400; i++)
        {
            using var a = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            using var b = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            byte[] privateA = a.ExportParameters(true).D!;
            byte[] publicB = Point(b.ExportParameters(false).Q);
            var shared = new byte[32];
            Assert.True(ecdh.TryComputeSharedSecret(privateA, publicB, 0, 65, shared, 0));
            Assert.Equal(a.DeriveRawSecretAgreement(b.PublicKey), shared);
            Assert.Equal(Point(a.ExportParameters(false).Q), ecdh.PublicKeyOf(privateA));
            runs++;
        }

        Assert.Equal(400, runs);
    }

    [Fact]
    public void InvalidCurvePointsAndBadScalarsAreRefused()
    {
        var ecdh = new EcdhP256();
        using var b = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        byte[] pub = Point(b.ExportParameters(false).Q);
        var key = new byte[32];
        key[31] = 7;
        var shared = new byte[32];
        var offCurve = (byte[])pub.Clone();
        offCurve[64] ^= 1;
        Assert.False(ecdh.TryComputeSharedSecret(key, offCurve, 0, 65, shared, 0));
        Assert.False(ecdh.TryComputeSharedSecret(new byte[32], pub, 0, 65, shared, 0));           // zero scalar
        Assert.False(ecdh.TryComputeSharedSecret(BigP256.N.ToByteArray(true, true), pub, 0, 65, shared, 0)); // n
        Assert.False(ecdh.TryComputeSharedSecret(key, new byte[] { 0 }, 0, 1, shared, 0));          // infinity
        Assert.False(ecdh.TryComputeSharedSecret(key, pub, 0, 64, shared, 0));                      // truncated
        Assert.All(shared, x => Assert.Equal(0, x));
    }

    internal static byte[] Point(ECPoint q)
    {
        var point = new byte[65];
        point[0] = 4;
        q.X!.CopyTo(point, 1);
        q.Y!.CopyTo(point, 33);
        return point;
    }
}
