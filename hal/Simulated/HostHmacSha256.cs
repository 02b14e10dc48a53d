using System.Security.Cryptography;

namespace SmartKey.Hal.Simulated;

/// <summary>HMAC-SHA256 on the host from .NET's in-box implementation (the device has it natively too), written in place.</summary>
public sealed class HostHmacSha256 : IHmacSha256
{
    public int Calls { get; private set; }

    public void Compute(byte[] key, byte[] data, int offset, int count, byte[] mac, int macOffset)
    {
        Calls++;
        HMACSHA256.HashData(key, new System.ReadOnlySpan<byte>(data, offset, count), new System.Span<byte>(mac, macOffset, 32));
    }
}
