using System;
using System.Linq;
using System.Security.Cryptography;
using SmartKey.Firmware.Crypto;
using Xunit;

namespace SmartKey.Tests.Crypto;

public class EcdsaTests
{
    [Fact]
    public void WycheproofP1363Vectors()
    {
        var (declared, cases) = Wycheproof.Load("ecdsa_secp256r1_sha256_p1363_test.json");
        var verifier = new EcdsaP256Verifier();
        int valid = 0, invalid = 0, derChecked = 0;
        foreach (var c in cases)
        {
            byte[] key = Convert.FromHexString(c.Group.GetProperty("publicKey").GetProperty("uncompressed").GetString()!);
            byte[] msg = c.Bytes("msg"), sig = c.Bytes("sig");
            bool ok = verifier.Verify(key, msg, 0, msg.Length, sig);
            if (c.Result == "valid")
            {
                Assert.True(ok, c.ToString());
                // The same signature in DER (MCUboot's TLV form) verifies too.
                byte[] der = Der.EncodeEcdsaSignature(sig, 0);
                Assert.True(verifier.VerifyDigestDer(key, 0, key.Length, SHA256.HashData(msg), 0, der, 0, der.Length), c.ToString());
                derChecked++;
                valid++;
            }
            else
            {
                Assert.False(ok, c.ToString());
                invalid++;
            }
        }

        Assert.Equal(declared, cases.Count);
        Assert.Equal((169, 83), (valid, invalid));
        Assert.Equal(169, derChecked);
    }

    [Fact]
    public void WycheproofVectorsThroughTheSteppedApiTwoVerificationsInterleaved()
    {
        // The update agent's path: Begin, then one bounded Step per main-loop turn. Two verifiers are stepped
        // in turn (state lives in the instance, inputs are copied at Begin: the caller's buffers are scribbled on).
        var (declared, cases) = Wycheproof.Load("ecdsa_secp256r1_sha256_p1363_test.json");
        var verifiers = new[] { new EcdsaP256Verifier(), new EcdsaP256Verifier() };
        int valid = 0, invalid = 0, maxSteps = 0;
        for (int i = 0; i < cases.Count; i += 2)
        {
            var pair = cases.Skip(i).Take(2).ToArray();
            for (int k = 0; k < pair.Length; k++)
            {
                var c = pair[k];
                byte[] key = Convert.FromHexString(c.Group.GetProperty("publicKey").GetProperty("uncompressed").GetString()!);
                byte[] digest = SHA256.HashData(c.Bytes("msg")), sig = c.Bytes("sig");
                verifiers[k].BeginDigest(key, 0, key.Length, digest, 0, sig, 0, sig.Length);
                Array.Clear(key);
                Array.Clear(digest);
                Array.Clear(sig);
            }

            bool[] done = new bool[pair.Length];
            while (done.Contains(false))
                for (int k = 0; k < pair.Length; k++)
                    if (!done[k]) done[k] = verifiers[k].Step();

            for (int k = 0; k < pair.Length; k++)
            {
                Assert.True(verifiers[k].IsDone);
                Assert.True(verifiers[k].Step());                       // a finished verification stays finished
                Assert.Equal(pair[k].Result == "valid", verifiers[k].Valid);
                Assert.InRange(verifiers[k].Steps, 0, EcdsaP256Verifier.MaxSteps);  // 0: refused at Begin (a signature of the wrong length)
                maxSteps = Math.Max(maxSteps, verifiers[k].Steps);
                if (verifiers[k].Valid) valid++; else invalid++;
            }
        }

        Assert.Equal(declared, cases.Count);
        Assert.Equal((169, 83), (valid, invalid));
        Assert.True(maxSteps > 30, "a valid signature takes the recoding and ~33 multiplication steps: " + maxSteps);
    }

    [Fact]
    public void TheSteppedInversionOfSAgreesWithFermatAndStaysInsideItsBound()
    {
        var rng = new Random(12);
        var scalar = new SmartKey.Firmware.Crypto.P256.Scalar();
        for (int trial = 0; trial < 200; trial++)
        {
            var bytes = new byte[32];
            rng.NextBytes(bytes);
            bytes[0] &= 0x7F;                                           // below n
            bytes[31] |= 1;                                             // nonzero
            var a = new uint[8];
            Assert.True(SmartKey.Firmware.Crypto.P256.Scalar.TryDecodeNonZero(bytes, 0, a));
            var expected = new uint[8];
            scalar.Invert(expected, a);
            var r = new uint[8];
            scalar.BeginInvertPublic(a);
            int rounds = 0;
            while (!scalar.InvertPublicRounds(r, 1)) rounds++;
            Assert.Equal(expected, r);
            Assert.True(rounds + 1 <= SmartKey.Firmware.Crypto.P256.Scalar.InvertRoundsBound, "rounds " + (rounds + 1));
        }
    }

    [Fact]
    public void AgreesWithDotNetOnSignedAndTamperedInputs()
    {
        var rng = new Random(5);
        var verifier = new EcdsaP256Verifier();
        int runs = 0, accepted = 0;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] publicKey = Uncompressed(key), otherPublic = Uncompressed(otherKey);
        for (int i = 0; i < 1500; i++)
        {
            var msg = new byte[rng.Next(0, 100)];
            rng.NextBytes(msg);
            byte[] sig = key.SignData(msg, HashAlgorithmName.SHA256);
            byte[] usedKey = publicKey;
            switch (i % 4)
            {
                case 1: sig[rng.Next(64)] ^= (byte)(1 << rng.Next(8)); break;
                case 2: if (msg.Length > 0) msg[rng.Next(msg.Length)] ^= 1; else msg = new byte[] { 1 }; break;
                case 3: usedKey = otherPublic; break;
            }

            bool expected = ECDsa.Create(ToParameters(usedKey)).VerifyData(msg, sig, HashAlgorithmName.SHA256);
            bool actual = verifier.Verify(usedKey, msg, 0, msg.Length, sig);
            Assert.Equal(expected, actual);
            accepted += actual ? 1 : 0;
            runs++;
        }

        Assert.Equal(1500, runs);
        Assert.Equal(375, accepted);
    }

    [Fact]
    public void MalformedDerIsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] msg = { 1, 2, 3 };
        byte[] sig = key.SignData(msg, HashAlgorithmName.SHA256);
        byte[] der = Der.EncodeEcdsaSignature(sig, 0);
        byte[] digest = SHA256.HashData(msg);
        byte[] pub = Uncompressed(key);
        var verifier = new EcdsaP256Verifier();
        Assert.True(verifier.VerifyDigestDer(pub, 0, 65, digest, 0, der, 0, der.Length));

        var rs = new byte[64];
        Assert.False(Der.TryParseEcdsaSignature(der, 0, der.Length - 1, rs, 0));                   // truncated
        Assert.False(Der.TryParseEcdsaSignature(Append(der, 0), 0, der.Length + 1, rs, 0));       // trailing byte
        var longForm = new byte[der.Length + 1];
        longForm[0] = 0x30; longForm[1] = 0x81; longForm[2] = der[1];
        Array.Copy(der, 2, longForm, 3, der.Length - 2);
        Assert.False(Der.TryParseEcdsaSignature(longForm, 0, longForm.Length, rs, 0));            // non-minimal length
        var negative = (byte[])der.Clone();
        int rLength = negative[3];
        if (negative[4] == 0) { negative[4] = 0xFF; }
        else { negative[4] |= 0x80; }
        Assert.False(Der.TryParseEcdsaSignature(negative, 0, negative.Length, rs, 0) && verifier.VerifyDigestDer(pub, 0, 65, digest, 0, negative, 0, negative.Length));
        var padded = new byte[der.Length + 1];                                                     // r with a needless 00
        padded[0] = 0x30; padded[1] = (byte)(der[1] + 1); padded[2] = 0x02; padded[3] = (byte)(rLength + 1); padded[4] = 0;
        Array.Copy(der, 4, padded, 5, der.Length - 4);
        if ((der[4] & 0x80) == 0) Assert.False(Der.TryParseEcdsaSignature(padded, 0, padded.Length, rs, 0));
        Assert.False(Der.TryParseEcdsaSignature(new byte[] { 0x30, 0x00 }, 0, 2, rs, 0));
        Assert.False(Der.TryParseEcdsaSignature(new byte[] { 0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01 }, 0, 8, rs, 0));
    }

    internal static byte[] Uncompressed(ECDsa key)
    {
        var p = key.ExportParameters(false);
        var point = new byte[65];
        point[0] = 4;
        p.Q.X!.CopyTo(point, 1);
        p.Q.Y!.CopyTo(point, 33);
        return point;
    }

    private static ECParameters ToParameters(byte[] point) => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = point[1..33], Y = point[33..65] },
    };

    private static byte[] Append(byte[] a, byte b)
    {
        var r = new byte[a.Length + 1];
        a.CopyTo(r, 0);
        r[^1] = b;
        return r;
    }
}
