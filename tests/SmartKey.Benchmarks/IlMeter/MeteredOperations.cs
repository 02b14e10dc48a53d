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
            byte[] data = In("sha256-1k")[0], digest = new byte[32];
            return () => { sha.Update(data, 0, data.Length); sha.Final(digest, 0); };
        });
        Add("hmac-64", () =>
        {
            var hmac = new HmacSha256(In("hmac-64")[0]);
            byte[] message = In("hmac-64")[1], tag = new byte[32];
            return () => hmac.Compute(message, 0, 64, tag, 0);
        });
        Add("field-mul", () =>
        {
            uint[] a = Element("field-mul", 0), b = Element("field-mul", 1), r = Field.Create();
            return () => Field.Multiply(r, a, b);
        });
        Add("field-sqr", () =>
        {
            uint[] a = Element("field-sqr", 0), r = Field.Create();
            return () => Field.Square(r, a);
        });
        Add("field-add", () =>
        {
            uint[] a = Element("field-add", 0), b = Element("field-add", 1), r = Field.Create();
            return () => Field.Add(r, a, b);
        });
        Add("field-invert", () =>
        {
            uint[] a = Element("field-invert", 0), r = Field.Create(), t0 = Field.Create(), t1 = Field.Create(), t2 = Field.Create(), t3 = Field.Create();
            return () => Field.Invert(r, a, t0, t1, t2, t3);
        });
        Add("scalar-invert", () =>
        {
            var scalar = new Scalar();
            uint[] a = Element("scalar-invert", 0), r = Field.Create();
            return () => scalar.Invert(r, a);
        });
        Add("scalar-invert-public", () =>
        {
            var scalar = new Scalar();
            uint[] a = Element("scalar-invert-public", 0), r = Field.Create();
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
            byte[] publicKey = In("ecdsa-verify")[0], digest = In("ecdsa-verify")[1], signature = In("ecdsa-verify")[2];
            var verifier = new EcdsaP256Verifier();
            return () => Check(verifier.VerifyDigest(publicKey, 0, 65, digest, 0, signature, 0, 64));
        });
        Add("ecdh", () =>
        {
            byte[] privateKey = In("ecdh")[0], peerPoint = In("ecdh")[1];
            var ecdh = new EcdhP256();
            var shared = new byte[32];
            return () => Check(ecdh.TryComputeSharedSecret(privateKey, peerPoint, 0, 65, shared, 0));
        });
        Add("pairing-prepare", () =>
        {
            byte[] w0 = In("pairing-prepare")[0], w1 = In("pairing-prepare")[1];
            var device = new Spake2PlusVerifier(w0, new Spake2PlusProver(w0, w1).ComputeL());
            return () => device.Prepare();
        });
        foreach (bool prepared in new[] { true, false })
        Add(prepared ? "pairing-device" : "pairing-device-unprepared", () =>
        {
            byte[][] inputs = In(prepared ? "pairing-device" : "pairing-device-unprepared");
            byte[] w0 = inputs[0], w1 = inputs[1];
            byte[] l = new Spake2PlusProver(w0, w1).ComputeL();
            byte[] context = Encoding.ASCII.GetBytes("SmartKey pairing v1"), idP = Encoding.ASCII.GetBytes("phone"), idV = Encoding.ASCII.GetBytes("SK-1");
            var prover = new Spake2PlusProver(w0, w1);
            Check(prover.Start(inputs[2]));
            byte[] shareP = prover.ShareP, y = inputs[3];
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
            byte[] chunk = In("ota-chunk-hash-4k")[0], state = new byte[Sha256.StateLength];
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
            byte[] bindingKey = In("unlock-device")[0], phoneNonce = In("unlock-device")[1], deviceNonce = In("unlock-device")[2];
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

    private static byte[][] In(string operation) => MeteredInputs.Of(operation);

    private static uint[] Element(string operation, int input) => MeteredInputs.Element(In(operation)[input]);

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
        if (!ok) throw new InvalidOperationException("metered operation failed");
    }
}
