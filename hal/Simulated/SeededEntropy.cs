namespace SmartKey.Hal.Simulated;

/// <summary>Deterministic "randomness" (splitmix64) for reproducible simulations. Never for real keys.</summary>
public sealed class SeededEntropy : IEntropySource
{
    private ulong _counter;

    public SeededEntropy(ulong seed) => _counter = seed;

    public void Fill(byte[] buffer, int offset, int count)
    {
        ulong word = 0;
        for (int i = 0; i < count; i++)
        {
            if ((i & 7) == 0) word = Next();
            buffer[offset + i] = (byte)(word >> (8 * (i & 7)));
        }
    }

    public int NextInt(int maxExclusive) => (int)((Next() >> 11) % (ulong)maxExclusive);

    public ulong Next()
    {
        _counter += 0x9E3779B97F4A7C15UL;
        ulong z = _counter;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
