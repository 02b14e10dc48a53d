using nanoFramework.TestFramework;
using SmartKey.Firmware.Crypto;
using SmartKey.NFUnitTest.Lane;

namespace SmartKey.NFUnitTest
{
    /// <summary>
    /// The Wycheproof ECDSA vectors through the update agent's path, as tests/SmartKey.Tests/Crypto/EcdsaTests.cs runs them
    /// on the host: BeginDigest, then one bounded Step at a time, two verifiers stepped in turn (state lives in the
    /// instance; the caller's buffers are scribbled on after Begin), held to the same totals.
    /// </summary>
    [TestClass]
    public class WycheproofSteppedTests
    {
        [TestMethod]
        public void EcdsaVectorsThroughTheSteppedApiTwoVerificationsInterleaved()
        {
            // fields: public key (uncompressed), msg, sig
            VectorCases cases = new VectorCases("tests/vectors/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json");
            EcdsaP256Verifier[] verifiers = new EcdsaP256Verifier[] { new EcdsaP256Verifier(), new EcdsaP256Verifier() };
            byte[] results = new byte[2];
            string[] names = new string[2];
            int valid = 0, invalid = 0, maxSteps = 0, seen = 0;
            while (seen < cases.Count)
            {
                int inPair = 0;
                for (int k = 0; k < 2 && seen < cases.Count && cases.Next(); k++, seen++, inPair++)
                {
                    byte[] key = cases.Fields[0], digest = Sha256.Hash(cases.Fields[1]), sig = cases.Fields[2];
                    verifiers[k].BeginDigest(key, 0, key.Length, digest, 0, sig, 0, sig.Length);
                    System.Array.Clear(key, 0, key.Length);
                    System.Array.Clear(digest, 0, digest.Length);
                    System.Array.Clear(sig, 0, sig.Length);
                    results[k] = cases.Result;
                    names[k] = cases.Describe();
                }

                bool[] done = new bool[inPair];
                bool all = false;
                while (!all)
                {
                    all = true;
                    for (int k = 0; k < inPair; k++)
                    {
                        if (!done[k])
                        {
                            done[k] = verifiers[k].Step();
                            all = all && done[k];
                        }
                    }
                }

                for (int k = 0; k < inPair; k++)
                {
                    Assert.IsTrue(verifiers[k].IsDone, names[k] + " done");
                    Assert.IsTrue(verifiers[k].Step(), names[k] + ": a finished verification stays finished");
                    Assert.AreEqual(results[k] == VectorCases.Valid, verifiers[k].Valid, names[k]);
                    Assert.IsTrue(verifiers[k].Steps >= 0 && verifiers[k].Steps <= EcdsaP256Verifier.MaxSteps, names[k] + " steps " + verifiers[k].Steps.ToString());
                    maxSteps = verifiers[k].Steps > maxSteps ? verifiers[k].Steps : maxSteps;
                    if (verifiers[k].Valid)
                    {
                        valid++;
                    }
                    else
                    {
                        invalid++;
                    }
                }
            }

            Assert.AreEqual(cases.Declared, valid + invalid, "cases");
            Assert.AreEqual(169, valid, "valid");
            Assert.AreEqual(83, invalid, "invalid");
            Assert.IsTrue(maxSteps > 30, "a valid signature takes the recoding and ~33 multiplication steps: " + maxSteps.ToString());
        }
    }
}
