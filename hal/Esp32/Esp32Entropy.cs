using System;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// System.Random on the ESP32 is backed by the hardware RNG, which is truly random only while a
    /// radio (BLE or Wi-Fi) is on: Program starts BLE before the core draws any key material.
    /// </summary>
    public sealed class Esp32Entropy : IEntropySource
    {
        private readonly Random _random = new Random();

        public void Fill(byte[] buffer, int offset, int count)
        {
            byte[] bytes = new byte[count];
            _random.NextBytes(bytes);
            Array.Copy(bytes, 0, buffer, offset, count);
            Array.Clear(bytes, 0, count);
        }
    }
}
