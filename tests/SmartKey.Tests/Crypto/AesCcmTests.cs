using System;
using SmartKey.Firmware.Crypto;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Crypto;

public class AesCcmTests
{
    [Fact]
    public void WycheproofVectors()
    {
        var (declared, cases) = Wycheproof.Load("aes_ccm_test.json");
        var ccm = new AesCcm(new HostAesBlock());
        int valid = 0, invalid = 0;
        foreach (var c in cases)
        {
            byte[] key = c.Bytes("key"), iv = c.Bytes("iv"), aad = c.Bytes("aad"), msg = c.Bytes("msg"), ct = c.Bytes("ct"), tag = c.Bytes("tag");
            ccm.SetKey(key);
            var plain = new byte[ct.Length];
            bool opened = ccm.Decrypt(iv, aad, 0, aad.Length, ct, 0, ct.Length, tag, 0, tag.Length, plain, 0);
            if (c.Result == "valid")
            {
                Assert.True(opened, c.ToString());
                Assert.Equal(msg, plain);
                var sealedCt = new byte[msg.Length];
                var sealedTag = new byte[tag.Length];
                Assert.True(ccm.Encrypt(iv, aad, 0, aad.Length, msg, 0, msg.Length, sealedCt, 0, sealedTag, 0, tag.Length));
                Assert.Equal(ct, sealedCt);
                Assert.Equal(tag, sealedTag);
                valid++;
            }
            else
            {
                Assert.False(opened, c.ToString());
                Assert.All(plain, b => Assert.Equal(0, b)); // no unauthenticated plaintext is left behind
                invalid++;
            }
        }

        Assert.Equal(declared, cases.Count);
        Assert.Equal((405, 147), (valid, invalid));
    }

    [Fact]
    public void MatchesDotNetAesCcmAndRejectsEveryTamperedByte()
    {
        var rng = new Random(4);
        var ccm = new AesCcm(new HostAesBlock());
        int runs = 0, tampered = 0;
        for (int i = 0; i < 3000; i++)
        {
            var key = new byte[16 * (1 + rng.Next(2))];   // AES-128 and AES-256 (the host's AesCcm has no 192)
            var nonce = new byte[rng.Next(7, 14)];
            var aad = new byte[rng.Next(0, 3) == 0 ? 0 : rng.Next(0, 300)];
            var msg = new byte[rng.Next(0, 200)];
            int tagLength = 4 + 2 * rng.Next(7);
            rng.NextBytes(key); rng.NextBytes(nonce); rng.NextBytes(aad); rng.NextBytes(msg);

            var expectedCt = new byte[msg.Length];
            var expectedTag = new byte[tagLength];
            using (var reference = new System.Security.Cryptography.AesCcm(key))
                reference.Encrypt(nonce, msg, expectedCt, expectedTag, aad);

            ccm.SetKey(key);
            var ct = new byte[msg.Length];
            var tag = new byte[tagLength];
            Assert.True(ccm.Encrypt(nonce, aad, 0, aad.Length, msg, 0, msg.Length, ct, 0, tag, 0, tagLength));
            Assert.Equal(expectedCt, ct);
            Assert.Equal(expectedTag, tag);

            // Flip one bit anywhere in ciphertext, tag or associated data: decryption must refuse it.
            int where = rng.Next(ct.Length + tag.Length + aad.Length);
            byte[] target = where < ct.Length ? ct : where < ct.Length + tag.Length ? tag : aad;
            int at = where < ct.Length ? where : where < ct.Length + tag.Length ? where - ct.Length : where - ct.Length - tag.Length;
            target[at] ^= (byte)(1 << rng.Next(8));
            var plain = new byte[ct.Length];
            Assert.False(ccm.Decrypt(nonce, aad, 0, aad.Length, ct, 0, ct.Length, tag, 0, tagLength, plain, 0));
            tampered++;
            runs++;
        }

        Assert.Equal(3000, runs);
        Assert.Equal(3000, tampered);
    }

    [Theory]
    [InlineData(6, 8)]
    [InlineData(14, 8)]
    [InlineData(12, 3)]
    [InlineData(12, 18)]
    [InlineData(12, 7)]
    public void InvalidParametersAreRefused(int nonceLength, int tagLength)
    {
        var ccm = new AesCcm(new HostAesBlock());
        ccm.SetKey(new byte[16]);
        Assert.False(ccm.Encrypt(new byte[nonceLength], new byte[0], 0, 0, new byte[4], 0, 4, new byte[4], 0, new byte[16], 0, tagLength));
    }
}
