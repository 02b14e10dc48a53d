using SmartKey.Firmware.Crypto;
using Xunit;

namespace SmartKey.Tests.Crypto;

/// <summary>The operation counters are process-wide statics: tests that read them run alone, never beside other crypto.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CryptoCounterCollection
{
    public const string Name = "crypto counters";
}

[Collection(CryptoCounterCollection.Name)]
public class CryptoCostTests
{
    [Fact]
    public void HmacWithTheKeyStateCachedCostsThreeCompressionsFor64Bytes()
    {
        var mac = new HmacSha256(new byte[32]);
        var tag = new byte[32];
        CryptoCounters.Reset();
        mac.Compute(new byte[64], 0, 64, tag, 0);
        Assert.Equal(3, CryptoCounters.Sha256Compressions);
    }
}
