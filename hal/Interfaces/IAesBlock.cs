namespace SmartKey.Hal
{
    /// <summary>AES-128/256 single-block encryption (native on the ESP32). The core builds CCM on it.</summary>
    public interface IAesBlock
    {
        void SetKey(byte[] key);

        void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);
    }
}
