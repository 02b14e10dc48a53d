using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SmartKey.Firmware.Commands;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;

namespace SmartKey.Tests.Docs;

/// <summary>
/// The figures docs/crypto.md and docs/ota.md quote, computed with fixed inputs so each is one number:
/// `dotnet run -c Release --project tests/SmartKey.Benchmarks -- docs` writes them into the docs, and
/// DocFiguresTests fails when a doc and the code disagree. The benchmark's crypto rows use the same inputs.
/// </summary>
public static class DocFigures
{
    public const string Regenerate = "dotnet run -c Release --project tests/SmartKey.Benchmarks -- docs";

    /// <summary>A P-256 key, digest and P1363 signature fixed once (made with pyca/cryptography), so a verification costs the same every run.</summary>
    public static readonly byte[] EcdsaPublicKey = Convert.FromHexString("040e156155dbdb884720c976a8814c4cfb886a9d0fe72df1bf05ca4785ff8c996d4beabf6ef8f693c748be349bc9d03f4fda2431770c1e61c4cd303e064279de5b");
    public static readonly byte[] EcdsaDigest = SHA256.HashData(Encoding.ASCII.GetBytes("smartkey image"));
    public static readonly byte[] EcdsaSignature = Convert.FromHexString("4bbff60294aa8aca176f2f777667b9ca7ec8182516429659886b81fed5e889ed289c97b4876aac2963d3966023f8b840094238f3bc136b4c2b11a272d0a1ee9e");

    /// <summary>An ECDH private scalar and peer point fixed the same way.</summary>
    public static readonly byte[] EcdhPrivateKey = Convert.FromHexString("7e57000000000000000000000000000000000000000000000000000000c0ffee");
    public static readonly byte[] EcdhPeerPoint = Convert.FromHexString("04784113da68c4e322e5273f6813c260ab1ca94664f08bcd0c6963852155a4f7b2f251d29e7e03329ec64dd31c06d89950a50c4a27deb0898b71b4916c43b91b76");

    /// <summary>One quoted figure: the doc, a pattern whose one group is the number, and the number the code gives.</summary>
    public sealed record Figure(string Doc, string Pattern, string Value);

    public static IReadOnlyList<Figure> All()
    {
        var figures = new List<Figure>();
        string ecdsa = Count(() => Check(new EcdsaP256Verifier().VerifyDigest(EcdsaPublicKey, 0, 65, EcdsaDigest, 0, EcdsaSignature, 0, 64)));
        figures.Add(new("crypto.md", @"^\| ECDSA P-256 verify \(counts\) \| ([0-9,]+) \|", ecdsa));
        figures.Add(new("ota.md", @"\(([0-9,]+) field operations\s+for the fixed signature of docs/crypto.md", ecdsa));
        figures.Add(new("ota.md", @"\): ([0-9]+) steps for the fixed\s+signature of docs/crypto.md", SignatureSteps()));
        figures.Add(new("crypto.md", @"most `MaxSteps` \(([0-9]+)\) steps", EcdsaP256Verifier.MaxSteps.ToString(CultureInfo.InvariantCulture)));
        figures.Add(new("crypto.md", @"^\| ECDH P-256 \(counts\) \| ([0-9,]+) \|", Count(() => Check(new EcdhP256().TryComputeSharedSecret(EcdhPrivateKey, EcdhPeerPoint, 0, 65, new byte[32], 0)))));
        var (pairing, blocks) = SpakeVerifier();
        figures.Add(new("crypto.md", @"^\| SPAKE2\+ verifier, whole pairing \(shareV, Z, V, key schedule: [0-9]+ SHA-256 blocks\) \| ([0-9,]+) \|", pairing));
        figures.Add(new("crypto.md", @"^\| SPAKE2\+ verifier, whole pairing \(shareV, Z, V, key schedule: ([0-9]+) SHA-256 blocks\)", blocks));
        figures.Add(new("crypto.md", @"^\| HMAC-SHA256 of 64 B, cached key \| ([0-9]+) compressions", HmacCompressions()));
        var (compressions, chunks) = OtaImage();
        figures.Add(new("ota.md", @"([0-9,]+) SHA-256 compressions", compressions));
        figures.Add(new("ota.md", @"chunk framing ([0-9.]+) % at MTU 23", Framing(23)));
        figures.Add(new("ota.md", @"/ ([0-9.]+) % at MTU 247", Framing(247)));
        figures.Add(new("ota.md", @"([0-9,]+) chunks of 4 KB over", chunks));
        return figures;
    }

    /// <summary>The doc's text with every figure written in (what the generator saves).</summary>
    public static string Rewrite(string doc, string text)
    {
        foreach (var f in All())
        {
            if (f.Doc != doc) continue;
            var match = new Regex(f.Pattern, RegexOptions.Multiline).Match(text);
            if (!match.Success) throw new InvalidDataException($"docs/{doc} has no place for /{f.Pattern}/");
            var g = match.Groups[1];
            text = text[..g.Index] + f.Value + text[(g.Index + g.Length)..];
        }

        return text;
    }

    /// <summary>Main-loop steps of the stepped verification of the fixed signature (the update agent runs one per turn).</summary>
    private static string SignatureSteps()
    {
        var verifier = new EcdsaP256Verifier();
        verifier.BeginDigest(EcdsaPublicKey, 0, 65, EcdsaDigest, 0, EcdsaSignature, 0, 64);
        Check(verifier.Finish());
        return verifier.Steps.ToString(CultureInfo.InvariantCulture);
    }

    private static string Count(Action operation)
    {
        CryptoCounters.Reset();
        operation();
        return CryptoCounters.FieldOperations.ToString("N0", CultureInfo.InvariantCulture);
    }

    private static (string fieldOperations, string blocks) SpakeVerifier()
    {
        // The benchmark's inputs: scalars from Random(1), in the same order.
        var rng = new Random(1);
        byte[] w0 = Scalar(rng), w1 = Scalar(rng);
        byte[] l = new Spake2PlusProver(w0, w1).ComputeL();
        byte[] ctx = Encoding.ASCII.GetBytes("SmartKey pairing v1"), idP = Encoding.ASCII.GetBytes("phone"), idV = Encoding.ASCII.GetBytes("lock");
        var prover = new Spake2PlusProver(w0, w1);
        Check(prover.Start(Scalar(rng)));
        byte[] shareP = prover.ShareP;
        byte[] y = Scalar(rng);
        var device = new Spake2PlusVerifier(w0, l);
        CryptoCounters.Reset();
        Check(device.Start(y));
        Check(device.Finish(shareP, ctx, idP, idV) != null);
        return (CryptoCounters.FieldOperations.ToString("N0", CultureInfo.InvariantCulture), CryptoCounters.Sha256Compressions.ToString(CultureInfo.InvariantCulture));
    }

    private static string HmacCompressions()
    {
        var hmac = new HmacSha256(new byte[32]);
        CryptoCounters.Reset();
        hmac.Compute(new byte[64], 0, 64, new byte[32], 0);
        return CryptoCounters.Sha256Compressions.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A 1 MB image through the update agent: the device's SHA-256 compressions (its hash covers header, payload and protected TLVs, never the signature, so the count is fixed).</summary>
    private static (string compressions, string chunks) OtaImage()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var payload = new byte[1024 * 1024];
        new Random(1).NextBytes(payload);
        byte[] image = ImageSigner.Sign(payload, "1.1.0", 2, "smartkey-esp32-v1", key);
        var flash = new NorFlash(4096, 16);
        var store = new RecordStore(flash, 0, 8);
        store.Mount();
        var agent = new UpdateAgent(new SimFirmwareSlots(new byte[] { 1 }, 2 * 1024 * 1024), store, "smartkey-esp32-v1")
            { TrustKeys = new[] { ImageSigner.PublicPoint(key) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
        agent.Offer(ImageSigner.OfferFor(image));
        CryptoCounters.Reset();
        for (int at = 0; at < image.Length; at += UpdateAgent.MaxChunk) agent.Chunk(at, image, at, Math.Min(UpdateAgent.MaxChunk, image.Length - at));
        agent.FinishVerification();
        if (agent.State != OtaState.Testing) throw new InvalidOperationException("the 1 MB image did not verify: " + agent.LastError);
        return (CryptoCounters.Sha256Compressions.ToString("N0", CultureInfo.InvariantCulture),
            ((image.Length + UpdateAgent.MaxChunk - 1) / UpdateAgent.MaxChunk).ToString("N0", CultureInfo.InvariantCulture));
    }

    /// <summary>BLE overhead of one 960-byte OTA chunk: 19 B of message framing plus one byte per ATT fragment (and its two headers), as OtaFigures prints it.</summary>
    private static string Framing(int mtu)
    {
        int chunk = BleOtaCommands.MaxBleChunk;
        int fragments = SmartKey.Firmware.Link.Fragmenter.FragmentCount(chunk + 19, mtu) + 2;
        return (100.0 * (19 + fragments) / chunk).ToString("F1", CultureInfo.InvariantCulture);
    }

    private static byte[] Scalar(Random rng)
    {
        var b = new byte[32];
        rng.NextBytes(b);
        b[0] &= 0x7F;
        b[31] |= 1;
        return b;
    }

    private static void Check(bool ok)
    {
        if (!ok) throw new InvalidOperationException("a figure's operation failed");
    }
}
