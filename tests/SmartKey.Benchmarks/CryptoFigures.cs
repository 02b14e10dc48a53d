using System;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Hal.Simulated;
using SmartKey.Tests.Docs;

namespace SmartKey.Benchmarks;

/// <summary>The crypto figures of issue 3: one row per operation with its goal beside it.</summary>
public static class CryptoFigures
{
    public static void Run()
    {
        var report = new Report();

        // ECDSA P-256 verification (OTA image signatures), on the fixed inputs docs/crypto.md quotes (DocFigures).
        byte[] publicKey = DocFigures.EcdsaPublicKey, digest = DocFigures.EcdsaDigest, signature = DocFigures.EcdsaSignature;
        using var signer = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..] } });
        var verifier = new EcdsaP256Verifier();
        report.Measure("ECDSA P-256 verify (digest)", () => Check(verifier.VerifyDigest(publicKey, 0, 65, digest, 0, signature, 0, 64)),
            () => signer.VerifyHash(digest, signature), "<= 4,500 mul+sqr; <= 1 KB allocated");

        // ECDH P-256 on DocFigures' fixed scalar and peer point (the .NET reference, for time only, on its own keys).
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var self = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        byte[] privateKey = DocFigures.EcdhPrivateKey, peerPoint = DocFigures.EcdhPeerPoint;
        var ecdh = new EcdhP256();
        var shared = new byte[32];
        report.Measure("ECDH P-256", () => Check(ecdh.TryComputeSharedSecret(privateKey, peerPoint, 0, 65, shared, 0)),
            () => self.DeriveRawSecretAgreement(peer.PublicKey), "<= 3,500 mul+sqr");

        // SPAKE2+ device side: Start (shareV) + Finish (Z, V, key schedule) + confirmation check.
        var rng = new Random(1);
        byte[] w0 = Scalar(rng), w1 = Scalar(rng);
        var registration = new Spake2PlusProver(w0, w1);
        byte[] l = registration.ComputeL();
        byte[] ctx = Encoding.ASCII.GetBytes("SmartKey pairing v1"), idP = Encoding.ASCII.GetBytes("phone"), idV = Encoding.ASCII.GetBytes("lock");
        var prover = new Spake2PlusProver(w0, w1);
        prover.Start(Scalar(rng));
        byte[] shareP = prover.ShareP;
        byte[] y = Scalar(rng);
        var device = new Spake2PlusVerifier(w0, l);
        report.Measure("SPAKE2+ verifier: whole pairing", () =>
        {
            Check(device.Start(y));
            var keys = device.Finish(shareP, ctx, idP, idV)!;
            Check(keys.ConfirmV.Length == 32);
        }, null, "<= 12,000 mul+sqr");
        var phone = new Spake2PlusProver(w0, w1);
        byte[] x = Scalar(rng);
        var tempDevice = new Spake2PlusVerifier(w0, l);
        tempDevice.Start(y);
        byte[] shareV = tempDevice.ShareV;
        report.Measure("SPAKE2+ prover: whole pairing (phone)", () =>
        {
            Check(phone.Start(x));
            Check(phone.Finish(shareV, ctx, idP, idV) != null);
        }, null, "(phone side, for reference)");

        // HMAC-SHA256 of 64 bytes with the key state cached; AES-CCM of 32 bytes.
        var hmac = new HmacSha256(new byte[32]);
        var message = new byte[64];
        var tag = new byte[32];
        report.Measure("HMAC-SHA256, 64 B, cached key", () => hmac.Compute(message, 0, 64, tag, 0),
            () => HMACSHA256.HashData(new byte[32], message), "<= 3 compressions");
        var aes = new HostAesBlock();
        var ccm = new SmartKey.Firmware.Crypto.AesCcm(aes);
        ccm.SetKey(new byte[16]);
        byte[] nonce = new byte[13], plain = new byte[32], ct = new byte[32], ccmTag = new byte[8], aad = new byte[8];
        using var dotnetCcm = new System.Security.Cryptography.AesCcm(new byte[16]);
        report.Measure("AES-CCM seal, 32 B + 8 B AAD", () => ccm.Encrypt(nonce, aad, 0, 8, plain, 0, 32, ct, 0, ccmTag, 0, 8),
            () => dotnetCcm.Encrypt(nonce, plain, ct, ccmTag, aad), "(AES blocks counted)", () => aes.BlockCalls, "AES blocks");

        // Field and point arithmetic must not allocate.
        uint[] a = new uint[8], b = new uint[8], r = new uint[8];
        a[0] = 12345; b[3] = 678;
        report.Measure("field multiply", () => Field.Multiply(r, a, b), null, "0 bytes allocated");
        report.Measure("field square", () => Field.Square(r, a), null, "0 bytes allocated");
        var math = new PointArithmetic();
        var pt = new JacobianPoint();
        var g = new AffinePoint();
        g.Load(Tables.GeneratorOddMultiples, 0);
        pt.SetAffine(g);
        report.Measure("point double + mixed add", () => { math.Double(pt, pt); math.AddMixed(pt, pt, g); }, null, "0 bytes allocated");

        report.Print();
    }

    private static byte[] Scalar(Random rng)
    {
        var bytes = new byte[32];
        rng.NextBytes(bytes);
        bytes[0] &= 0x7F;
        bytes[31] |= 1;
        return bytes;
    }

    private static void Check(bool ok)
    {
        if (!ok) throw new InvalidOperationException("benchmarked operation failed");
    }
}
