using nanoFramework.TestFramework;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;
using SmartKey.NFUnitTest.Hal;
using SmartKey.NFUnitTest.Lane;

namespace SmartKey.NFUnitTest
{
    /// <summary>
    /// Images signed by MCUboot's own imgtool (tests/vectors/mcuboot, manifest.json) through the lock's update agent on the
    /// interpreter: the offer a server derives, the chunks, and the signature checked by the stepped verifier one
    /// main-loop Poll at a time. A lock with hardware id smartkey-esp32-v1 running 1.0.0 trusts signing-key.pub.pem.
    /// </summary>
    [TestClass]
    public class OtaImageTests
    {
        private const string Folder = "tests/vectors/mcuboot/";
        private const string HardwareId = "smartkey-esp32-v1";

        [TestMethod]
        public void AnImgtoolImageIsVerifiedStepByStepAndStagedForATestBoot()
        {
            byte[] image = LaneFiles.Read(Folder + "plain.bin");
            MemorySlots slots = new MemorySlots(new byte[] { 1 }, 0x20000);
            int steps;
            byte result = Install(image, slots, out steps);
            Assert.AreEqual(OtaError.None, result, "plain.bin is accepted");
            Assert.IsTrue(steps > 30, "the signature is checked in bounded steps, one per Poll: " + steps.ToString());
            Assert.AreEqual((int)SlotState.TestPending, (int)slots.State, "marked for a test boot");
            slots.BootloaderReset();
            Assert.AreEqual(image.Length, slots.PrimaryImage.Length, "staged length");
            int differsAt = -1;
            for (int i = 0; i < image.Length && differsAt < 0; i++)
            {
                if (slots.PrimaryImage[i] != image[i])
                {
                    differsAt = i;
                }
            }

            Assert.AreEqual(-1, differsAt, "the staged image is the signed one");
        }

        [TestMethod]
        public void ATamperedPayloadIsRefused()
        {
            MemorySlots slots = new MemorySlots(new byte[] { 1 }, 0x20000);
            int steps;
            byte result = Install(LaneFiles.Read(Folder + "tampered-payload.bin"), slots, out steps);
            Assert.AreEqual(OtaError.HashMismatch, result, "tampered-payload.bin: hash mismatch");
            Assert.AreEqual((int)SlotState.Confirmed, (int)slots.State, "nothing is marked");
        }

        [TestMethod]
        public void ATamperedSignatureIsRefusedByTheSteppedVerifier()
        {
            byte[] image = LaneFiles.Read(Folder + "plain.bin");
            image[image.Length - 2] ^= 0x01;                    // inside s, the signature TLV's last value
            MemorySlots slots = new MemorySlots(new byte[] { 1 }, 0x20000);
            int steps;
            byte result = Install(image, slots, out steps);
            Assert.AreEqual(OtaError.BadSignature, result, "a changed signature");
            Assert.IsTrue(steps > 30, "refused by the stepped check: " + steps.ToString());
            Assert.AreEqual((int)SlotState.Confirmed, (int)slots.State, "nothing is marked");
        }

        /// <summary>Offer, chunks of UpdateAgent.MaxChunk, then Poll until the verification ends; the agent's result.</summary>
        private static byte Install(byte[] image, MemorySlots slots, out int steps)
        {
            MemoryFlash flash = new MemoryFlash(1024, 16);
            RecordStore store = new RecordStore(flash, 0, 8);
            Assert.AreEqual((int)StoreResult.Ok, (int)store.Mount(), "mount");
            UpdateAgent agent = new UpdateAgent(slots, store, HardwareId);
            agent.TrustKeys = new byte[][] { LaneFiles.Read(Folder + "signing-key.pub.point") };
            agent.RunningVersion = "1.0.0";
            agent.BatteryAllowsOta = true;
            byte[] offer = LaneFiles.Read(Folder + "plain.bin.offer");
            byte result = agent.Offer(OtaOffer.Decode(offer, 0, offer.Length));
            for (int at = 0; result == OtaError.None && agent.State == OtaState.Downloading; at += UpdateAgent.MaxChunk)
            {
                int length = image.Length - at < UpdateAgent.MaxChunk ? image.Length - at : UpdateAgent.MaxChunk;
                result = agent.Chunk(at, image, at, length);
            }

            steps = 0;
            while (result == OtaError.None && agent.State == OtaState.Verifying)
            {
                agent.Poll();
                steps++;
                result = agent.LastError;
            }

            if (result == OtaError.None)
            {
                Assert.AreEqual((int)OtaState.Testing, (int)agent.State, "verified: testing");
            }

            return result;
        }
    }
}
