using System.Security.Cryptography;

namespace SmartKey.Hal.Simulated;

/// <summary>The AES block primitive on the host, from .NET's in-box AES (ECB, one block at a time).</summary>
public sealed class HostAesBlock : IAesBlock
{
    private Aes? _aes;

    public int BlockCalls { get; private set; }

    public void SetKey(byte[] key)
    {
        _aes?.Dispose();
        _aes = Aes.Create();
        _aes.Key = key;
    }

    public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
    {
        BlockCalls++;
        _aes!.EncryptEcb(new System.ReadOnlySpan<byte>(input, inputOffset, 16), new System.Span<byte>(output, outputOffset, 16), PaddingMode.None);
    }
}
