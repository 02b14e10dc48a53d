using System;
using System.Security.Cryptography;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Session;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Crypto;

/// <summary>The hal's HMAC seam: the managed fallback and the native (host) one agree, and so do HKDF and the session keys on either.</summary>
public class HmacSeamTests
{
    [Fact]
    public void ManagedAndNativeHmacAgreeOnEveryKeyAndMessageLength()
    {
        var rng = new Random(12);
        var managed = new ManagedHmacSha256();
        var native = new HostHmacSha256();
        int cases = 0;
        foreach (int keyLength in new[] { 0, 1, 16, 32, 63, 64, 65, 100 })
        {
            for (int length = 0; length <= 130; length += 13)
            {
                byte[] key = new byte[keyLength], data = new byte[length + 7], a = new byte[40], b = new byte[40];
                rng.NextBytes(key);
                rng.NextBytes(data);
                managed.Compute(key, data, 3, length, a, 5);
                native.Compute(key, data, 3, length, b, 5);
                Assert.Equal(b, a);
                Assert.Equal(HMACSHA256.HashData(key, data.AsSpan(3, length)), a[5..37]);
                cases++;
            }
        }

        Assert.Equal(8 * 11, cases);
    }

    [Fact]
    public void HkdfOnTheSeamMatchesDotNetForOneAndSeveralBlocks()
    {
        var rng = new Random(13);
        foreach (int length in new[] { 1, 16, 32, 33, 64, 100 })
        {
            byte[] salt = new byte[19], ikm = new byte[32], info = new byte[17 + 1];
            rng.NextBytes(salt);
            rng.NextBytes(ikm);
            rng.NextBytes(info);
            byte[] expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, salt, info[..17]);
            foreach (var hmac in new SmartKey.Hal.IHmacSha256[] { new ManagedHmacSha256(), new HostHmacSha256() })
            {
                byte[] output = new byte[length], prk = new byte[32], input = new byte[32 + 17 + 1];
                Hkdf.DeriveInto(hmac, salt, ikm, info, 17, prk, input, output, length);
                Assert.Equal(expected, output);
            }
        }
    }

    [Fact]
    public void ChannelsOnManagedAndNativeHmacTalkToEachOther()
    {
        byte[] key = new byte[32], phoneNonce = new byte[8], deviceNonce = new byte[8];
        new Random(14).NextBytes(key);
        var phone = new SecureChannel(new HostAesBlock(), false);
        var native = new HostHmacSha256();
        var device = new SecureChannel(new HostAesBlock(), native, true);
        phone.Establish(key, 3, phoneNonce, deviceNonce);
        device.Establish(key, 3, phoneNonce, deviceNonce);
        Assert.Equal(2, native.Calls);
        byte[] open = phone.SealOpen(3, deviceNonce, new byte[] { 1, 2 }, 2), plain = new byte[16];
        Assert.Equal(0, device.OpenFirst(open, open.Length, plain, out int n));
        Assert.Equal(new byte[] { 1, 2 }, plain[..n]);
        byte[] reply = device.SealData(new byte[] { 9, 8, 7 }, 3);
        Assert.Equal(0, phone.OpenData(reply, reply.Length, plain, out n));
        Assert.Equal(new byte[] { 9, 8, 7 }, plain[..n]);
    }

    [Fact]
    public void OpeningASessionOnTheNativeHmacAllocatesNothingAfterWarmUp()
    {
        byte[] key = new byte[32], phoneNonce = new byte[8], deviceNonce = new byte[8], plain = new byte[16];
        new Random(15).NextBytes(key);
        var aes = new XorBlock();
        var phone = new SecureChannel(aes, false);
        phone.Establish(key, 3, phoneNonce, deviceNonce);
        byte[] open = phone.SealOpen(3, deviceNonce, new byte[] { 1, 2 }, 2);
        var device = new SecureChannel(aes, new HostHmacSha256(), true);
        for (int i = 0; i < 3; i++)
        {
            device.Establish(key, 3, phoneNonce, deviceNonce);
            Assert.Equal(0, device.OpenFirst(open, open.Length, plain, out _));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        device.Establish(key, 3, phoneNonce, deviceNonce);
        byte opened = device.OpenFirst(open, open.Length, plain, out int n);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, opened);
        Assert.Equal(2, n);
        Assert.Equal(0, allocated);
    }

    /// <summary>A block "cipher" that allocates nothing (the host's AES does): enough for both ends of CCM to agree.</summary>
    private sealed class XorBlock : SmartKey.Hal.IAesBlock
    {
        private readonly byte[] _key = new byte[16];

        public void SetKey(byte[] key) => Array.Copy(key, _key, 16);

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            for (int i = 0; i < 16; i++) output[outputOffset + i] = (byte)(input[inputOffset + i] ^ _key[i] ^ (i * 29));
        }
    }
}
