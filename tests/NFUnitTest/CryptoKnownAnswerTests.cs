using nanoFramework.TestFramework;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Text;
using SmartKey.NFUnitTest.Hal;

namespace SmartKey.NFUnitTest
{
    /// <summary>
    /// Known-answer tests of the portable crypto on the real interpreter (device or virtual device): the
    /// same vectors the host runs in full (Wycheproof, RFC 9383), a representative of each primitive here.
    /// </summary>
    [TestClass]
    public class CryptoKnownAnswerTests
    {
        private const string ECDSA_KEY = "042927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c732838c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e7341513e";
        private const string ECDSA_MSG = "313233343030";
        private const string ECDSA_SIG = "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76";
        private const string ECDSA_BAD_SIG = "012ba3a8bd6b94d5ed80a6d9d1190a436ebccc0833490686deac8635bcb9bf536900b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db";
        private const string ECDSA_BAD_MSG = "313233343030";
        private const string ECDH_PUB = "0462d5bd3372af75fe85a040715d0f502428e07046868b0bfdfa61d731afe44f26ac333a93a9e70a81cd5a95b5bf8d13990eb741c8c38872b4a07d275a014e30cf";
        private const string ECDH_PRIV = "0612465c89a023ab17855b0a6bcebfd3febb53aef84138647b5352e02c10c346";
        private const string ECDH_SHARED = "53020d908b0219328b658b525f26780e3ae12bcd952bb25a93bc0895e1714285";
        private const string CCM_KEY = "9415f925bcb41dc25e86c826dbc8bf68";
        private const string CCM_IV = "bdffaa763b916ff0ee3f3ce4";
        private const string CCM_AAD = "705d676cd8a94451";
        private const string CCM_MSG = "feb36167eafc02c8e2bd6e13817686ba";
        private const string CCM_CT = "08db327a88be7b48f430fd7bfccdf502";
        private const string CCM_TAG = "b7c249f810adacf99abded1f3b9130f2";
        private const string SP_w0 = "bb8e1bbcf3c48f62c08db243652ae55d3e5586053fca77102994f23ad95491b3";
        private const string SP_w1 = "7e945f34d78785b8a3ef44d0df5a1a97d6b3b460409a345ca7830387a74b1dba";
        private const string SP_L = "04eb7c9db3d9a9eb1f8adab81b5794c1f13ae3e225efbe91ea487425854c7fc00f00bfedcbd09b2400142d40a14f2064ef31dfaa903b91d1faea7093d835966efd";
        private const string SP_x = "d1232c8e8693d02368976c174e2088851b8365d0d79a9eee709c6a05a2fad539";
        private const string SP_y = "717a72348a182085109c8d3917d6c43d59b224dc6a7fc4f0483232fa6516d8b3";
        private const string SP_shareP = "04ef3bd051bf78a2234ec0df197f7828060fe9856503579bb1733009042c15c0c1de127727f418b5966afadfdd95a6e4591d171056b333dab97a79c7193e341727";
        private const string SP_shareV = "04c0f65da0d11927bdf5d560c69e1d7d939a05b0e88291887d679fcadea75810fb5cc1ca7494db39e82ff2f50665255d76173e09986ab46742c798a9a68437b048";
        private const string SP_Z = "04bbfce7dd7f277819c8da21544afb7964705569bdf12fb92aa388059408d50091a0c5f1d3127f56813b5337f9e4e67e2ca633117a4fbd559946ab474356c41839";
        private const string SP_V = "0458bf27c6bca011c9ce1930e8984a797a3419797b936629a5a937cf2f11c8b9514b82b993da8a46e664f23db7c01edc87faa530db01c2ee405230b18997f16b68";
        private const string SP_confirmP = "926cc713504b9b4d76c9162ded04b5493e89109f6d89462cd33adc46fda27527";
        private const string SP_confirmV = "9747bcc4f8fe9f63defee53ac9b07876d907d55047e6ff2def2e7529089d3e68";
        private const string SP_K_main = "4c59e1ccf2cfb961aa31bd9434478a1089b56cd11542f53d3576fb6c2a438a29";
        private static byte[] B(string hex)
        {
            byte[] data;
            Hex.TryDecode(hex, out data);
            return data;
        }

        private static void Same(string expectedHex, byte[] actual, string what)
        {
            Assert.AreEqual(expectedHex, Hex.Encode(actual), what);
        }

        [TestMethod]
        public void Sha256Abc()
        {
            Same("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.Hash(new byte[] { 0x61, 0x62, 0x63 }), "SHA-256(abc)");
        }

        [TestMethod]
        public void HmacRfc4231Case2()
        {
            byte[] key = new byte[] { 0x4a, 0x65, 0x66, 0x65 };
            byte[] data = B("7768617420646f2079612077616e7420666f72206e6f7468696e673f");
            Same("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HmacSha256.Compute(key, data), "HMAC");
        }

        [TestMethod]
        public void NativeAndManagedHmacAgree()
        {
            // The session key schedule runs on the hal's native HMAC; hosts without one use the managed one.
            if (!Ciphers.HasNative)
            {
                Assert.SkipTest("this runtime has no native HMAC to compare with (nanoCLR for Linux)");
            }

            HmacPairAgrees(new byte[] { 0x4a, 0x65, 0x66, 0x65 }, B("7768617420646f2079612077616e7420666f72206e6f7468696e673f"));
            byte[] longKey = new byte[100];
            byte[] data = new byte[130];
            for (int i = 0; i < longKey.Length; i++) longKey[i] = (byte)(i * 7);
            for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 13);
            HmacPairAgrees(longKey, data);
            byte[] okmNative = new byte[32], okmManaged = new byte[32];
            byte[] nonceP = B("1011121314151617"), nonceD = B("a0a1a2a3a4a5a6a7");
            SmartKey.Firmware.Protocol.SessionKeySchedule.Derive(new NativeHmacSha256(), longKey, 1, nonceP, nonceD, okmNative,
                new byte[SmartKey.Firmware.Protocol.SessionKeySchedule.InfoBufferLength], new byte[32], new byte[SmartKey.Firmware.Protocol.SessionKeySchedule.InputLength]);
            SmartKey.Firmware.Protocol.SessionKeySchedule.Derive(new ManagedHmacSha256(), longKey, 1, nonceP, nonceD, okmManaged,
                new byte[SmartKey.Firmware.Protocol.SessionKeySchedule.InfoBufferLength], new byte[32], new byte[SmartKey.Firmware.Protocol.SessionKeySchedule.InputLength]);
            Same(Hex.Encode(okmManaged), okmNative, "session keys on the native HMAC");
        }

        private static void HmacPairAgrees(byte[] key, byte[] data)
        {
            byte[] native = new byte[32], managed = new byte[32];
            new NativeHmacSha256().Compute(key, data, 0, data.Length, native, 0);
            new ManagedHmacSha256().Compute(key, data, 0, data.Length, managed, 0);
            Same(Hex.Encode(managed), native, "native HMAC");
        }

        [TestMethod]
        public void HkdfRfc5869Case1()
        {
            byte[] okm = Hkdf.DeriveKey(B("000102030405060708090a0b0c"), B("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), B("f0f1f2f3f4f5f6f7f8f9"), 42);
            Same("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", okm, "HKDF");
        }

        [TestMethod]
        public void AesCcmWycheproof()
        {
            AesCcm ccm = new AesCcm(Ciphers.Aes());
            ccm.SetKey(B(CCM_KEY));
            byte[] msg = B(CCM_MSG), aad = B(CCM_AAD), ct = new byte[msg.Length], tag = new byte[16];
            Assert.IsTrue(ccm.Encrypt(B(CCM_IV), aad, 0, aad.Length, msg, 0, msg.Length, ct, 0, tag, 0, 16), "seal");
            Same(CCM_CT, ct, "ciphertext");
            Same(CCM_TAG, tag, "tag");
            tag[0] ^= 1;
            Assert.IsFalse(ccm.Decrypt(B(CCM_IV), aad, 0, aad.Length, ct, 0, ct.Length, tag, 0, 16, new byte[ct.Length], 0), "tampered tag");
        }

        [TestMethod]
        public void EcdsaWycheproofValidAndInvalid()
        {
            EcdsaP256Verifier verifier = new EcdsaP256Verifier();
            byte[] msg = B(ECDSA_MSG);
            Assert.IsTrue(verifier.Verify(B(ECDSA_KEY), msg, 0, msg.Length, B(ECDSA_SIG)), "valid signature");
            byte[] bad = B(ECDSA_BAD_MSG);
            Assert.IsFalse(verifier.Verify(B(ECDSA_KEY), bad, 0, bad.Length, B(ECDSA_BAD_SIG)), "invalid signature");
        }

        [TestMethod]
        public void EcdhWycheproofNormalCase()
        {
            byte[] pub = B(ECDH_PUB);
            byte[] shared = new byte[32];
            Assert.IsTrue(new EcdhP256().TryComputeSharedSecret(B(ECDH_PRIV), pub, 0, pub.Length, shared, 0), "ECDH");
            Same(ECDH_SHARED, shared, "shared secret");
        }

        [TestMethod]
        public void Spake2PlusRfc9383BothRoles()
        {
            byte[] context = Ascii("SPAKE2+-P256-SHA256-HKDF-SHA256-HMAC-SHA256 Test Vectors");
            byte[] idP = Ascii("client"), idV = Ascii("server");
            Spake2PlusVerifier verifier = new Spake2PlusVerifier(B(SP_w0), B(SP_L));
            Assert.IsTrue(verifier.Start(B(SP_y)), "verifier start");
            Same(SP_shareV, verifier.ShareV, "shareV");
            Spake2PlusKeySchedule v = verifier.Finish(B(SP_shareP), context, idP, idV);
            Same(SP_Z, verifier.Z, "Z");
            Same(SP_V, verifier.V, "V");
            Same(SP_K_main, v.MainKey, "K_main");
            Same(SP_confirmP, v.ConfirmP, "confirmP");
            Same(SP_confirmV, v.ConfirmV, "confirmV");

            Spake2PlusProver prover = new Spake2PlusProver(B(SP_w0), B(SP_w1));
            Same(SP_L, prover.ComputeL(), "L");
            Assert.IsTrue(prover.Start(B(SP_x)), "prover start");
            Same(SP_shareP, prover.ShareP, "shareP");
            Spake2PlusKeySchedule p = prover.Finish(B(SP_shareV), context, idP, idV);
            Same(SP_confirmV, p.ConfirmV, "prover confirmV");
        }

        [TestMethod]
        public void FieldAndScalarBorrowsAndCarries()
        {
            // The paths nanoCLR's logical shr of unsigned-tagged values broke: every borrow and wrap at the edges.
            uint[] zero = new uint[8], one = new uint[8], r = new uint[8];
            one[0] = 1;
            uint[] pMinus1 = (uint[])SmartKey.Firmware.Crypto.P256.Field.P.Clone();
            pMinus1[0]--;
            uint[] nMinus1 = (uint[])SmartKey.Firmware.Crypto.P256.Scalar.N.Clone();
            nMinus1[0]--;
            SmartKey.Firmware.Crypto.P256.Field.Subtract(r, zero, one);
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.AreEqual(r, pMinus1), "0 - 1 = p - 1");
            SmartKey.Firmware.Crypto.P256.Field.Add(r, pMinus1, one);
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.IsZero(r), "(p - 1) + 1 = 0");
            SmartKey.Firmware.Crypto.P256.Field.Multiply(r, pMinus1, pMinus1);
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.AreEqual(r, one), "(p - 1)^2 = 1");
            SmartKey.Firmware.Crypto.P256.Field.Negate(r, one);
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.AreEqual(r, pMinus1), "-1 = p - 1");
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.LessThan(pMinus1, SmartKey.Firmware.Crypto.P256.Field.P), "p - 1 < p");
            Assert.IsFalse(SmartKey.Firmware.Crypto.P256.Field.LessThan(SmartKey.Firmware.Crypto.P256.Field.P, pMinus1), "p < p - 1");
            SmartKey.Firmware.Crypto.P256.Scalar.Negate(r, one);
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.AreEqual(r, nMinus1), "-1 = n - 1 (mod n)");
            SmartKey.Firmware.Crypto.P256.Scalar.Add(r, nMinus1, one);
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.IsZero(r), "(n - 1) + 1 = 0 (mod n)");
            new SmartKey.Firmware.Crypto.P256.Scalar().Multiply(r, nMinus1, nMinus1);
            Assert.IsTrue(SmartKey.Firmware.Crypto.P256.Field.AreEqual(r, one), "(n - 1)^2 = 1 (mod n)");
        }

        private static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }
    }
}
