using System;
using System.IO;
using System.Text;
using System.Text.Json;
using SmartKey.Firmware.Crypto;
using Xunit;

namespace SmartKey.Tests.Crypto;

/// <summary>The RFC 9383 test vector, every intermediate value, for both roles; then both roles against each other.</summary>
public class Spake2PlusTests
{
    private static readonly JsonElement V = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("spake2plus", "p256-sha256-hkdf-hmac.json"))).RootElement.Clone();

    private static byte[] H(string name) => Convert.FromHexString(V.GetProperty(name).GetString()!);

    private static byte[] A(string name) => Encoding.ASCII.GetBytes(V.GetProperty(name).GetString()!);

    private static void AssertSchedule(Spake2PlusKeySchedule s)
    {
        Assert.Equal(H("TT"), s.Transcript);
        Assert.Equal(H("K_main"), s.MainKey);
        Assert.Equal(H("K_confirmP"), s.ConfirmProverKey);
        Assert.Equal(H("K_confirmV"), s.ConfirmVerifierKey);
        Assert.Equal(H("confirmP"), s.ConfirmP);
        Assert.Equal(H("confirmV"), s.ConfirmV);
        // The vector file's K_shared is cut short (55 hex digits); the derivation is checked against .NET's HKDF too.
        string expectedPrefix = V.GetProperty("K_shared").GetString()!;
        Assert.StartsWith(expectedPrefix, Convert.ToHexString(s.SharedKey).ToLowerInvariant());
        Assert.Equal(System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, s.MainKey, 32, Array.Empty<byte>(), Encoding.ASCII.GetBytes("SharedKey")), s.SharedKey);
    }

    [Fact]
    public void ProverRoleMatchesTheVector()
    {
        var prover = new Spake2PlusProver(H("w0"), H("w1"));
        Assert.True(prover.IsValid);
        Assert.Equal(H("L"), prover.ComputeL());
        Assert.True(prover.Start(H("x")));
        Assert.Equal(H("shareP"), prover.ShareP);
        var schedule = prover.Finish(H("shareV"), A("context"), A("idProver"), A("idVerifier"));
        Assert.NotNull(schedule);
        Assert.Equal(H("Z"), prover.Z);
        Assert.Equal(H("V"), prover.V);
        AssertSchedule(schedule!);
    }

    [Fact]
    public void VerifierRoleMatchesTheVector()
    {
        var verifier = new Spake2PlusVerifier(H("w0"), H("L"));
        Assert.True(verifier.IsValid);
        Assert.True(verifier.Start(H("y")));
        Assert.Equal(H("shareV"), verifier.ShareV);
        var schedule = verifier.Finish(H("shareP"), A("context"), A("idProver"), A("idVerifier"));
        Assert.NotNull(schedule);
        Assert.Equal(H("Z"), verifier.Z);
        Assert.Equal(H("V"), verifier.V);
        AssertSchedule(schedule!);
    }

    [Fact]
    public void FixedPointsMatchTheVector()
    {
        Assert.Equal(H("M")[1..], Spake2PlusKeySchedule.M[1..33]);
        Assert.Equal(H("N")[1..], Spake2PlusKeySchedule.N[1..33]);
    }

    [Fact]
    public void RolesAgreeOnRandomSecretsAndWrongPasswordsFail()
    {
        var rng = new Random(9);
        byte[] ctx = Encoding.ASCII.GetBytes("SmartKey test"), idP = Encoding.ASCII.GetBytes("phone"), idV = Encoding.ASCII.GetBytes("lock");
        int agreed = 0, refused = 0;
        for (int i = 0; i < 60; i++)
        {
            byte[] w0 = Scalar(rng), w1 = Scalar(rng), wrongW0 = Scalar(rng);
            var prover = new Spake2PlusProver(i % 3 == 2 ? wrongW0 : w0, w1);
            var verifier = new Spake2PlusVerifier(w0, new Spake2PlusProver(w0, w1).ComputeL());
            Assert.True(prover.Start(Scalar(rng)));
            Assert.True(verifier.Start(Scalar(rng)));
            byte[] shareP = prover.ShareP, shareV = verifier.ShareV;
            var p = prover.Finish(shareV, ctx, idP, idV)!;
            var v = verifier.Finish(shareP, ctx, idP, idV)!;
            if (i % 3 == 2)
            {
                Assert.False(ConstantTime.AreEqual(p.ConfirmP, v.ConfirmP));
                Assert.False(ConstantTime.AreEqual(p.ConfirmV, v.ConfirmV));
                refused++;
            }
            else
            {
                Assert.Equal(v.ConfirmP, p.ConfirmP);
                Assert.Equal(p.ConfirmV, v.ConfirmV);
                Assert.Equal(p.SharedKey, v.SharedKey);
                agreed++;
            }
        }

        Assert.Equal((40, 20), (agreed, refused));
    }

    [Fact]
    public void InvalidSharesAreRefusedAndSharesAreSingleUse()
    {
        var verifier = new Spake2PlusVerifier(H("w0"), H("L"));
        Assert.True(verifier.Start(H("y")));
        var bad = H("shareP");
        bad[64] ^= 1;                                                                   // off the curve
        Assert.Null(verifier.Finish(bad, A("context"), A("idProver"), A("idVerifier")));
        Assert.Null(verifier.Finish(H("shareP")[..33], A("context"), A("idProver"), A("idVerifier")));
        Assert.NotNull(verifier.Finish(H("shareP"), A("context"), A("idProver"), A("idVerifier")));
        Assert.Null(verifier.Finish(H("shareP"), A("context"), A("idProver"), A("idVerifier")));   // y was used once
        Assert.False(new Spake2PlusVerifier(new byte[32], H("L")).IsValid);
        Assert.False(new Spake2PlusVerifier(H("w0"), new byte[65]).IsValid);
    }

    private static byte[] Scalar(Random rng)
    {
        var b = new byte[32];
        rng.NextBytes(b);
        b[0] &= 0x7F;
        b[31] |= 1;
        return b;
    }
}
