using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>Deterministic "randomness" for reproducible runs (a 31-bit LCG per byte, signed arithmetic only). Never for real keys.</summary>
    public sealed class CountingEntropy : IEntropySource
    {
        private int _state;

        public CountingEntropy(int seed)
        {
            _state = seed & 0x7FFFFFFF;
        }

        public void Fill(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _state = (_state * 1103515245 + 12345) & 0x7FFFFFFF;
                buffer[offset + i] = (byte)(_state >> 16);
            }
        }
    }
}
