namespace SmartKey.Hal
{
    /// <summary>Cryptographic randomness (ESP32 hardware RNG; seeded and deterministic in the simulator).</summary>
    public interface IEntropySource
    {
        void Fill(byte[] buffer, int offset, int count);
    }
}
