using System;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// Console output goes to the USB serial port through System.Console. The API surface the device
    /// build may use (api-surface.tsv) has no serial-port reading (System.IO.Ports is not in it), so no
    /// bytes arrive from the UART on the ESP32 with this API set. Feed() lets another transport (a file
    /// deployed with `nanoff --filedeployment`, read at boot) hand lines to the same console logic.
    /// </summary>
    public sealed class Esp32SerialConsole : ISerialConsole
    {
        public event ConsoleDataHandler DataReceived;

        public void Write(string text)
        {
            Console.Write(text);
        }

        /// <summary>Feeds bytes from another transport (kept so that DataReceived has a producer on the device).</summary>
        public void Feed(byte[] data, int count)
        {
            ConsoleDataHandler handler = DataReceived;
            if (handler != null)
            {
                handler(this, data, count);
            }
        }
    }
}
