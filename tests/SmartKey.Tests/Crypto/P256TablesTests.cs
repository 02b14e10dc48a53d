using System.Numerics;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;
using Xunit;

namespace SmartKey.Tests.Crypto;

/// <summary>Every precomputed point of Tables.cs recomputed with BigInteger.</summary>
public class P256TablesTests
{
    [Fact]
    public void GeneratorOddMultiplesAreRight()
    {
        for (int i = 0; i < 8; i++)
            Assert.Equal(BigP256.Multiply(2 * i + 1, BigP256.G), BigP256.FromTable(Tables.GeneratorOddMultiples, i));
    }

    [Theory]
    [InlineData("G")]
    [InlineData("M")]
    [InlineData("N")]
    public void CombTablesAreRight(string which)
    {
        var (table, basePoint) = which switch
        {
            "G" => (Tables.GeneratorComb, BigP256.G),
            "M" => (Tables.SpakeMComb, BigP256.Decode(Spake2PlusKeySchedule.M)),
            _ => (Tables.SpakeNComb, BigP256.Decode(Spake2PlusKeySchedule.N)),
        };
        Assert.True(BigP256.OnCurve(basePoint));
        Assert.Equal((BigInteger.Zero, BigInteger.Zero), BigP256.FromTable(table, 0));
        for (int b = 1; b < 16; b++)
        {
            BigInteger k = 0;
            for (int j = 0; j < 4; j++) if (((b >> j) & 1) != 0) k += BigInteger.One << (64 * j);
            Assert.Equal(BigP256.Multiply(k, basePoint), BigP256.FromTable(table, b));
        }
    }
}
