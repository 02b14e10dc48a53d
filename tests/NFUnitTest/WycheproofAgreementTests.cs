using nanoFramework.TestFramework;
using SmartKey.Firmware.Crypto;
using SmartKey.NFUnitTest.Hal;
using SmartKey.NFUnitTest.Lane;

namespace SmartKey.NFUnitTest
{
    /// <summary>
    /// The Wycheproof ECDH P-256 vectors the host runs (tests/SmartKey.Tests/Crypto/EcdhTests.cs), on the interpreter,
    /// counted and held to the same totals as there. The heaviest class: the device lane runs it beside the others.
    /// </summary>
    [TestClass]
    public class WycheproofAgreementTests
    {
        private const string Folder = "tests/vectors/wycheproof/";

        [TestMethod]
        public void EcdhEcPointVectors()
        {
            // fields: public (SEC1 point), private, shared
            VectorCases cases = new VectorCases(Folder + "ecdh_secp256r1_ecpoint_test.json");
            EcdhP256 ecdh = new EcdhP256();
            int[] counts = new int[4];
            while (cases.Next())
            {
                byte[] pub = cases.Fields[0];
                byte[] shared = new byte[32];
                bool ok = ecdh.TryComputeSharedSecret(PrivateKey(cases.Fields[1]), pub, 0, pub.Length, shared, 0);
                Classify(cases, ok, shared, counts);
            }

            Assert.AreEqual(cases.Declared, counts[0] + counts[1] + counts[2] + counts[3], "cases");
            Assert.AreEqual(330, counts[0], "valid");
            Assert.AreEqual(24, counts[1], "invalid");
            Assert.AreEqual(1, counts[2] + counts[3], "acceptable");
        }

        [TestMethod]
        public void EcdhAsnVectors()
        {
            // fields: public (SubjectPublicKeyInfo), private, shared
            VectorCases cases = new VectorCases(Folder + "ecdh_secp256r1_test.json");
            EcdhP256 ecdh = new EcdhP256();
            int[] counts = new int[4];
            while (cases.Next())
            {
                byte[] spki = cases.Fields[0];
                byte[] shared = new byte[32];
                int at, length;
                bool ok = Der.TryParseP256PublicKeyInfo(spki, 0, spki.Length, out at, out length)
                          && ecdh.TryComputeSharedSecret(PrivateKey(cases.Fields[1]), spki, at, length, shared, 0);
                Classify(cases, ok, shared, counts);
            }

            Assert.AreEqual(cases.Declared, counts[0] + counts[1] + counts[2] + counts[3], "cases");
            Assert.AreEqual(330, counts[0], "valid");
            Assert.AreEqual(52, counts[1], "invalid");
            Assert.AreEqual(230, counts[2] + counts[3], "acceptable");
            Assert.IsTrue(counts[2] > 0, "compressed points are accepted");
        }

        /// <summary>Wycheproof's private keys are big-endian integers (a leading 00 or short): as 32 bytes.</summary>
        private static byte[] PrivateKey(byte[] raw)
        {
            int skip = 0;
            while (raw.Length - skip > 32 && raw[skip] == 0)
            {
                skip++;
            }

            byte[] key = new byte[32];
            System.Array.Copy(raw, skip, key, 32 - (raw.Length - skip), raw.Length - skip);
            return key;
        }

        /// <summary>counts: valid, invalid, acceptable accepted, acceptable refused (an accepted one must be right).</summary>
        private static void Classify(VectorCases cases, bool ok, byte[] shared, int[] counts)
        {
            if (cases.Result == VectorCases.Valid)
            {
                Assert.IsTrue(ok, cases.Describe());
                Assert.IsTrue(Same(cases.Fields[2], shared, 32), cases.Describe() + " shared secret");
                counts[0]++;
            }
            else if (cases.Result == VectorCases.Invalid)
            {
                Assert.IsFalse(ok, cases.Describe());
                counts[1]++;
            }
            else if (ok)
            {
                Assert.IsTrue(Same(cases.Fields[2], shared, 32), cases.Describe() + " shared secret");
                counts[2]++;
            }
            else
            {
                counts[3]++;
            }
        }

        private static bool Same(byte[] expected, byte[] actual, int count)
        {
            if (expected.Length != count || actual.Length < count)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (expected[i] != actual[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
