using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Firmware.Session;
using SmartKey.Hal.Simulated;

namespace SmartKey.Benchmarks.IlMeter;

/// <summary>
/// The operations the IL meter runs. This code runs inside the MeteredLoadContext, so SmartKey.Firmware
/// here is the instrumented copy; each entry builds its inputs (not metered) and returns the metered step.
/// Everything outside the portable assemblies (the simulated hal's AES and HMAC, the base library) counts
/// as one opcode per call, as native code does on the device.
/// </summary>
public static class MeteredOperations
{
    /// <summary>The longest single step of the last pairing-stepped run (the main loop's worst stall while pairing).</summary>
    public static long WorstStepIl;

    /// <summary>The last ota-update run: its largest Chunk call but the last, the last, and the verification's steps (largest, total, count).</summary>
    public static long OtaChunkMaxIl, OtaLastChunkIl, OtaVerifyStepMaxIl, OtaVerifyIl, OtaVerifySteps;

    public static List<KeyValuePair<string, Func<Action>>> All()
    {
        var all = new List<KeyValuePair<string, Func<Action>>>();
        void Add(string name, Func<Action> build) => all.Add(new KeyValuePair<string, Func<Action>>(name, build));

        Add("sha256-1k", () =>
        {
            var sha = new Sha256();
            byte[] data = Bytes(1024, 1), digest = new byte[32];
            return () => { sha.Update(data, 0, data.Length); sha.Final(digest, 0); };
        });
        Add("hmac-64", () =>
        {
            var hmac = new HmacSha256(Bytes(32, 2));
            byte[] message = Bytes(64, 3), tag = new byte[32];
            return () => hmac.Compute(message, 0, 64, tag, 0);
        });
        Add("field-mul", () =>
        {
            uint[] a = Element(4), b = Element(5), r = Field.Create();
            return () => Field.Multiply(r, a, b);
        });
        Add("field-sqr", () =>
        {
            uint[] a = Element(6), r = Field.Create();
            return () => Field.Square(r, a);
        });
        Add("field-add", () =>
        {
            uint[] a = Element(7), b = Element(8), r = Field.Create();
            return () => Field.Add(r, a, b);
        });
        Add("field-invert", () =>
        {
            uint[] a = Element(9), r = Field.Create(), t0 = Field.Create(), t1 = Field.Create(), t2 = Field.Create(), t3 = Field.Create();
            return () => Field.Invert(r, a, t0, t1, t2, t3);
        });
        Add("scalar-invert", () =>
        {
            var scalar = new Scalar();
            uint[] a = Element(10), r = Field.Create();
            return () => scalar.Invert(r, a);
        });
        Add("scalar-invert-public", () =>
        {
            var scalar = new Scalar();
            uint[] a = Element(10), r = Field.Create();
            return () => scalar.InvertPublic(r, a);
        });
        Add("point-double", () =>
        {
            var math = new PointArithmetic();
            var p = Generator();
            return () => math.Double(p, p);
        });
        Add("point-add-mixed", () =>
        {
            var math = new PointArithmetic();
            var g = new AffinePoint();
            g.Load(Tables.GeneratorOddMultiples, 1);
            var p = Generator();
            math.Double(p, p);
            return () => math.AddMixed(p, p, g);
        });
        Add("point-add", () =>
        {
            var math = new PointArithmetic();
            var p = Generator();
            var q = Generator();
            math.Double(q, q);
            return () => math.Add(p, p, q);
        });
        Add("ecdsa-verify", () =>
        {
            // RFC 6979 A.2.5 (P-256, SHA-256, "sample"): a fixed signature, so the figure repeats run to run.
            byte[] publicKey = Convert.FromHexString("04" + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
            byte[] digest = SHA256.HashData(Encoding.ASCII.GetBytes("sample"));
            byte[] signature = Convert.FromHexString("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
                + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
            var verifier = new EcdsaP256Verifier();
            return () => Check(verifier.VerifyDigest(publicKey, 0, 65, digest, 0, signature, 0, 64));
        });
        Add("ecdh", () =>
        {
            using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            using var self = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            byte[] privateKey = self.ExportParameters(true).D!;
            byte[] peerPoint = Sec1(peer.ExportParameters(false).Q);
            var ecdh = new EcdhP256();
            var shared = new byte[32];
            return () => Check(ecdh.TryComputeSharedSecret(privateKey, peerPoint, 0, 65, shared, 0));
        });
        Add("pairing-prepare", () =>
        {
            var rng = new Random(1);
            byte[] w0 = Scalar(rng), w1 = Scalar(rng);
            var device = new Spake2PlusVerifier(w0, new Spake2PlusProver(w0, w1).ComputeL());
            return () => device.Prepare();
        });
        foreach (bool prepared in new[] { true, false })
        Add(prepared ? "pairing-device" : "pairing-device-unprepared", () =>
        {
            var rng = new Random(1);
            byte[] w0 = Scalar(rng), w1 = Scalar(rng);
            byte[] l = new Spake2PlusProver(w0, w1).ComputeL();
            byte[] context = Encoding.ASCII.GetBytes("SmartKey pairing v1"), idP = Encoding.ASCII.GetBytes("phone"), idV = Encoding.ASCII.GetBytes("SK-1");
            var prover = new Spake2PlusProver(w0, w1);
            Check(prover.Start(Scalar(rng)));
            byte[] shareP = prover.ShareP, y = Scalar(rng);
            var device = new Spake2PlusVerifier(w0, l);
            if (prepared) device.Prepare();
            return () =>
            {
                Check(device.Start(y));
                Check(device.Finish(shareP, context, idP, idV) != null);
            };
        });
        Add("pairing-stepped", () =>
        {
            // Prepare + a whole pairing in the steps the device's main loop runs; WorstStepIl is the longest step.
            var rng = new Random(1);
            byte[] w0 = Scalar(rng), w1 = Scalar(rng);
            byte[] l = new Spake2PlusProver(w0, w1).ComputeL();
            var prover = new Spake2PlusProver(w0, w1);
            Check(prover.Start(Scalar(rng)));
            byte[] shareP = prover.ShareP, y = Scalar(rng);
            byte[] context = Encoding.ASCII.GetBytes("SmartKey pairing v1"), idP = Encoding.ASCII.GetBytes("phone"), idV = Encoding.ASCII.GetBytes("SK-1");
            var device = new Spake2PlusVerifier(w0, l);
            var counter = typeof(Spake2PlusVerifier).Assembly.GetType(BasicBlockInstrumenter.CounterTypeName)?.GetField(BasicBlockInstrumenter.CounterFieldName);
            long Read() => counter == null ? 0 : (long)counter.GetValue(null)!;
            return () =>
            {
                long worst = 0, before;
                bool done;
                do
                {
                    before = Read();
                    done = device.PrepareStep();
                    worst = Math.Max(worst, Read() - before);
                }
                while (!done);
                before = Read();
                Check(device.Begin(y, shareP, context, idP, idV));
                worst = Math.Max(worst, Read() - before);
                do
                {
                    before = Read();
                    done = device.Step();
                    worst = Math.Max(worst, Read() - before);
                }
                while (!done);
                Check(device.Result != null);
                WorstStepIl = worst;
            };
        });
        Add("ota-chunk-hash-4k", () =>
        {
            // The running image hash of one OTA chunk (UpdateAgent.MaxChunk bytes) and its saved state.
            var sha = new Sha256();
            byte[] chunk = Bytes(4096, 12), state = new byte[Sha256.StateLength];
            return () => { sha.Update(chunk, 0, chunk.Length); sha.Save(state, 0); };
        });
        Add("ota-update-64k", () =>
        {
            // A 64 KB image (a whole number of 4 KB blocks, so the last chunk also hashes a full block) through the
            // update agent in 4 KB chunks, then the verification one Poll per main-loop turn, as the device runs it.
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            byte[] image = BlockAlignedImage(key, 64 * 1024);
            var header = ParseHeader(image);
            var offer = new SmartKey.Firmware.Ota.OtaOffer
            {
                Major = header.Major, Minor = header.Minor, Revision = header.Revision, Build = header.Build, ImageSize = image.Length,
                SecurityCounter = 2, ImageHash = SHA256.HashData(image.AsSpan(0, header.HashedLength)), HardwareId = "smartkey-esp32-v1",
            };
            var flash = new NorFlash(4096, 16);
            var store = new SmartKey.Firmware.Storage.RecordStore(flash, 0, 8);
            store.Mount();
            var agent = new SmartKey.Firmware.Ota.UpdateAgent(new SimFirmwareSlots(new byte[] { 1 }, 2 * 1024 * 1024), store, "smartkey-esp32-v1")
                { TrustKeys = new[] { SmartKey.Ota.ImageSigner.PublicPoint(key) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
            Check(agent.Offer(offer) == 0);
            var counter = typeof(SmartKey.Firmware.Ota.UpdateAgent).Assembly.GetType(BasicBlockInstrumenter.CounterTypeName)?.GetField(BasicBlockInstrumenter.CounterFieldName);
            long Read() => counter == null ? 0 : (long)counter.GetValue(null)!;
            return () =>
            {
                long chunkMax = 0, last = 0, stepMax = 0, total = 0, steps = 0, before;
                for (int at = 0; at < image.Length; at += SmartKey.Firmware.Ota.UpdateAgent.MaxChunk)
                {
                    before = Read();
                    Check(agent.Chunk(at, image, at, Math.Min(SmartKey.Firmware.Ota.UpdateAgent.MaxChunk, image.Length - at)) == 0);
                    long il = Read() - before;
                    if (at + SmartKey.Firmware.Ota.UpdateAgent.MaxChunk >= image.Length) last = il;
                    else chunkMax = Math.Max(chunkMax, il);
                }

                Check(agent.State == SmartKey.Firmware.Ota.OtaState.Verifying);
                while (agent.State == SmartKey.Firmware.Ota.OtaState.Verifying)
                {
                    before = Read();
                    agent.Poll();
                    long step = Read() - before;
                    stepMax = Math.Max(stepMax, step);
                    total += step;
                    steps++;
                }

                Check(agent.State == SmartKey.Firmware.Ota.OtaState.Testing);
                (OtaChunkMaxIl, OtaLastChunkIl, OtaVerifyStepMaxIl, OtaVerifyIl, OtaVerifySteps) = (chunkMax, last, stepMax, total, steps);
            };
        });
        Add("unlock-device", () =>
        {
            byte[] bindingKey = Bytes(32, 9), phoneNonce = Bytes(8, 10), deviceNonce = Bytes(8, 11);
            var phone = new SecureChannel(new HostAesBlock(), false);
            phone.Establish(bindingKey, 1, phoneNonce, deviceNonce);
            byte[] open = phone.SealOpen(1, deviceNonce, new byte[] { 0x01, 0x07 }, 2);
            var device = new SecureChannel(new HostAesBlock(), new HostHmacSha256(), true);
            byte[] plaintext = new byte[64], reply = { 0x01, 0x07, 0x00, 0x02 };
            return () =>
            {
                device.Establish(bindingKey, 1, phoneNonce, deviceNonce);
                int length;
                Check(device.OpenFirst(open, open.Length, plaintext, out length) == 0 && length == 2);
                device.SealData(reply, reply.Length);
            };
        });
        return all;
    }

    /// <summary>Signs a payload so that the image is exactly `length` bytes (the DER signature's length varies by a byte or two).</summary>
    private static byte[] BlockAlignedImage(ECDsa key, int length)
    {
        int payload = length - 400;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            byte[] image = SmartKey.Ota.ImageSigner.Sign(Bytes(payload, 13), "1.1.0", 2, "smartkey-esp32-v1", key);
            if (image.Length == length) return image;
            payload += length - image.Length;
        }

        throw new InvalidOperationException("no block-aligned image");
    }

    private static SmartKey.Firmware.Ota.ImageHeader ParseHeader(byte[] image)
    {
        Check(SmartKey.Firmware.Ota.ImageHeader.TryParse(image, 0, 32, 2 * 1024 * 1024, out var header) == 0);
        return header;
    }

    private static JacobianPoint Generator()
    {
        var g = new AffinePoint();
        g.Load(Tables.GeneratorOddMultiples, 0);
        var p = new JacobianPoint();
        p.SetAffine(g);
        return p;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static uint[] Element(int seed)
    {
        var rng = new Random(seed);
        var r = Field.Create();
        for (int i = 0; i < 8; i++) r[i] = (uint)rng.NextInt64(0, 1L << 32);
        r[7] &= 0x7FFFFFFF;
        return r;
    }

    private static byte[] Scalar(Random rng)
    {
        var bytes = new byte[32];
        rng.NextBytes(bytes);
        bytes[0] &= 0x7F;
        bytes[31] |= 1;
        return bytes;
    }

    private static byte[] Sec1(ECPoint q)
    {
        var point = new byte[65];
        point[0] = 4;
        q.X!.CopyTo(point, 1);
        q.Y!.CopyTo(point, 33);
        return point;
    }

    private static void Check(bool ok)
    {
        if (!ok) throw new InvalidOperationException("metered operation failed");
    }
}
