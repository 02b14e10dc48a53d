using nanoFramework.TestFramework;
using SmartKey.Firmware.Crypto;
using SmartKey.NFUnitTest.Hal;
using SmartKey.NFUnitTest.Lane;

namespace SmartKey.NFUnitTest
{
    /// <summary>
    /// The Wycheproof ECDSA, HMAC, HKDF and AES-CCM vectors the host runs (tests/SmartKey.Tests/Crypto), on the
    /// interpreter, counted and held to the same totals as there. The device lane packs the files (Lane/VectorCases.cs).
    /// </summary>
    [TestClass]
    public class WycheproofTests
    {
        private const string Folder = "tests/vectors/wycheproof/";

        [TestMethod]
        public void EcdsaP1363VectorsAndTheirDerForm()
        {
            // fields: public key (uncompressed), msg, sig
            VectorCases cases = new VectorCases(Folder + "ecdsa_secp256r1_sha256_p1363_test.json");
            EcdsaP256Verifier verifier = new EcdsaP256Verifier();
            int valid = 0, invalid = 0, derChecked = 0;
            while (cases.Next())
            {
                byte[] key = cases.Fields[0], msg = cases.Fields[1], sig = cases.Fields[2];
                bool ok = verifier.Verify(key, msg, 0, msg.Length, sig);
                if (cases.Result == VectorCases.Valid)
                {
                    Assert.IsTrue(ok, cases.Describe());
                    byte[] der = Der.EncodeEcdsaSignature(sig, 0);
                    Assert.IsTrue(verifier.VerifyDigestDer(key, 0, key.Length, Sha256.Hash(msg), 0, der, 0, der.Length), cases.Describe() + " in DER");
                    derChecked++;
                    valid++;
                }
                else
                {
                    Assert.IsFalse(ok, cases.Describe());
                    invalid++;
                }
            }

            Assert.AreEqual(cases.Declared, valid + invalid, "cases");
            Assert.AreEqual(169, valid, "valid");
            Assert.AreEqual(83, invalid, "invalid");
            Assert.AreEqual(169, derChecked, "DER checked");
        }

        [TestMethod]
        public void HmacSha256Vectors()
        {
            // fields: key, msg, tag, tag size in bits
            VectorCases cases = new VectorCases(Folder + "hmac_sha256_test.json");
            int valid = 0, invalid = 0;
            while (cases.Next())
            {
                byte[] msg = cases.Fields[1], expected = cases.Fields[2];
                int tagBytes = cases.Number(3) / 8;
                byte[] tag = new byte[32];
                new HmacSha256(cases.Fields[0]).Compute(msg, 0, msg.Length, tag, 0);
                bool matches = expected.Length == tagBytes && ConstantTime.AreEqual(tag, 0, expected, 0, tagBytes);
                if (cases.Result == VectorCases.Valid)
                {
                    Assert.IsTrue(matches, cases.Describe());
                    valid++;
                }
                else
                {
                    Assert.IsFalse(matches, cases.Describe());
                    invalid++;
                }
            }

            Assert.AreEqual(cases.Declared, valid + invalid, "cases");
            Assert.AreEqual(66, valid, "valid");
            Assert.AreEqual(108, invalid, "invalid");
        }

        [TestMethod]
        public void HkdfSha256Vectors()
        {
            // fields: ikm, salt, info, size, okm
            VectorCases cases = new VectorCases(Folder + "hkdf_sha256_test.json");
            int valid = 0, invalid = 0;
            while (cases.Next())
            {
                int size = cases.Number(3);
                byte[] prk = Hkdf.Extract(cases.Fields[1], cases.Fields[0]);
                byte[] okm = new byte[size > 0 ? size : 1];
                bool ok = Hkdf.TryExpand(prk, cases.Fields[2], size, okm, 0);
                if (cases.Result == VectorCases.Valid)
                {
                    Assert.IsTrue(ok, cases.Describe());
                    Assert.IsTrue(Same(cases.Fields[4], okm, size), cases.Describe() + " okm");
                    valid++;
                }
                else
                {
                    Assert.IsFalse(ok, cases.Describe());
                    invalid++;
                }
            }

            Assert.AreEqual(cases.Declared, valid + invalid, "cases");
            Assert.AreEqual(83, valid, "valid");
            Assert.AreEqual(3, invalid, "invalid");
        }

        [TestMethod]
        public void AesCcmVectors()
        {
            // fields: key, iv, aad, msg, ct, tag
            VectorCases cases = new VectorCases(Folder + "aes_ccm_test.json");
            AesCcm ccm = new AesCcm(Ciphers.Aes());
            int valid = 0, invalid = 0;
            while (cases.Next())
            {
                byte[] iv = cases.Fields[1], aad = cases.Fields[2], msg = cases.Fields[3], ct = cases.Fields[4], tag = cases.Fields[5];
                ccm.SetKey(cases.Fields[0]);
                byte[] plain = new byte[ct.Length];
                bool opened = ccm.Decrypt(iv, aad, 0, aad.Length, ct, 0, ct.Length, tag, 0, tag.Length, plain, 0);
                if (cases.Result == VectorCases.Valid)
                {
                    Assert.IsTrue(opened, cases.Describe());
                    Assert.IsTrue(Same(msg, plain, msg.Length) && plain.Length == msg.Length, cases.Describe() + " plaintext");
                    byte[] sealedCt = new byte[msg.Length], sealedTag = new byte[tag.Length];
                    Assert.IsTrue(ccm.Encrypt(iv, aad, 0, aad.Length, msg, 0, msg.Length, sealedCt, 0, sealedTag, 0, tag.Length), cases.Describe() + " seal");
                    Assert.IsTrue(Same(ct, sealedCt, ct.Length) && Same(tag, sealedTag, tag.Length), cases.Describe() + " sealed");
                    valid++;
                }
                else
                {
                    Assert.IsFalse(opened, cases.Describe());
                    for (int i = 0; i < plain.Length; i++)
                    {
                        Assert.AreEqual((byte)0, plain[i], cases.Describe() + ": no unauthenticated plaintext is left behind");
                    }

                    invalid++;
                }
            }

            Assert.AreEqual(cases.Declared, valid + invalid, "cases");
            Assert.AreEqual(405, valid, "valid");
            Assert.AreEqual(147, invalid, "invalid");
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
