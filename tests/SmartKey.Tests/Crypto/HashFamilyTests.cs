using System;
using System.Security.Cryptography;
using SmartKey.Firmware.Crypto;
using Xunit;

namespace SmartKey.Tests.Crypto;

/// <summary>SHA-256, HMAC-SHA256 and HKDF-SHA256: Wycheproof vectors where they exist, .NET as the differential reference.</summary>
public class HashFamilyTests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Sha256KnownAnswers(string message, string digest) =>
        Assert.Equal(digest, Convert.ToHexString(Sha256.Hash(System.Text.Encoding.ASCII.GetBytes(message))).ToLowerInvariant());

    [Fact]
    public void Sha256MatchesDotNetForEveryLengthAndSplit()
    {
        var rng = new Random(1);
        var sha = new Sha256();
        int runs = 0;
        for (int length = 0; length < 300; length++)
        {
            var data = new byte[length];
            rng.NextBytes(data);
            byte[] expected = SHA256.HashData(data);
            int split = length == 0 ? 0 : rng.Next(length);
            sha.Update(data, 0, split);
            sha.Update(data, split, length - split);
            Assert.Equal(expected, sha.Final());

            // The state survives a save and restore mid-message (OTA resume).
            var state = new byte[Sha256.StateLength];
            sha.Update(data, 0, split);
            sha.Save(state, 0);
            var resumed = new Sha256();
            resumed.Restore(state, 0);
            resumed.Update(data, split, length - split);
            Assert.Equal(expected, resumed.Final());
            sha.Reset();
            runs++;
        }

        var big = new byte[1 << 20];
        rng.NextBytes(big);
        Assert.Equal(SHA256.HashData(big), Sha256.Hash(big));
        Assert.Equal(300, runs);
    }

    [Fact]
    public void HmacWycheproofVectors()
    {
        var (declared, cases) = Wycheproof.Load("hmac_sha256_test.json");
        int valid = 0, invalid = 0;
        foreach (var c in cases)
        {
            int tagBytes = c.GroupInt("tagSize") / 8;
            var tag = new byte[32];
            new HmacSha256(c.Bytes("key")).Compute(c.Bytes("msg"), 0, c.Bytes("msg").Length, tag, 0);
            bool matches = ConstantTime.AreEqual(tag, 0, c.Bytes("tag"), 0, tagBytes) && c.Bytes("tag").Length == tagBytes;
            if (c.Result == "valid") { Assert.True(matches, c.ToString()); valid++; }
            else { Assert.False(matches, c.ToString()); invalid++; }
        }

        Assert.Equal(declared, cases.Count);
        Assert.Equal(174, valid + invalid);
        Assert.Equal((66, 108), (valid, invalid));
    }

    [Fact]
    public void HmacMatchesDotNet()
    {
        var rng = new Random(2);
        int runs = 0;
        for (int i = 0; i < 2000; i++)
        {
            var key = new byte[rng.Next(0, 150)];
            var msg = new byte[rng.Next(0, 300)];
            rng.NextBytes(key);
            rng.NextBytes(msg);
            Assert.Equal(HMACSHA256.HashData(key, msg), HmacSha256.Compute(key, msg));
            runs++;
        }

        Assert.Equal(2000, runs);
    }

    [Fact]
    public void HkdfWycheproofVectors()
    {
        var (declared, cases) = Wycheproof.Load("hkdf_sha256_test.json");
        int valid = 0, invalid = 0;
        foreach (var c in cases)
        {
            int size = c.Test.GetProperty("size").GetInt32();
            byte[] prk = Hkdf.Extract(c.Bytes("salt"), c.Bytes("ikm"));
            var okm = new byte[Math.Max(size, 1)];
            bool ok = Hkdf.TryExpand(prk, c.Bytes("info"), size, okm, 0);
            if (c.Result == "valid")
            {
                Assert.True(ok, c.ToString());
                Assert.Equal(c.Bytes("okm"), okm[..size]);
                valid++;
            }
            else
            {
                Assert.False(ok, c.ToString());
                invalid++;
            }
        }

        Assert.Equal(declared, cases.Count);
        Assert.Equal((83, 3), (valid, invalid));
    }

    [Fact]
    public void HkdfMatchesDotNet()
    {
        var rng = new Random(3);
        for (int i = 0; i < 1000; i++)
        {
            var ikm = new byte[rng.Next(1, 80)];
            var salt = new byte[rng.Next(0, 80)];
            var info = new byte[rng.Next(0, 40)];
            rng.NextBytes(ikm); rng.NextBytes(salt); rng.NextBytes(info);
            int length = rng.Next(1, 200);
            Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, salt, info), Hkdf.DeriveKey(salt, ikm, info, length));
        }
    }
}
