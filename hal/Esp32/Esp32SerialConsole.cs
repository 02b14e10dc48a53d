using System;
using System.IO;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// Console output goes to the USB serial port through System.Console. The API surface the device
    /// build may use (api-surface.tsv) has no serial-port reading (System.IO.Ports is not in it), so no
    /// bytes arrive from the UART on the ESP32 with this API set. Instead the technician deploys a file
    /// of console lines with `nanoff --filedeployment`; FeedFile hands it to the same console logic at boot.
    /// </summary>
    public sealed class Esp32SerialConsole : ISerialConsole
    {
        public event ConsoleDataHandler DataReceived;

        public void Write(string text)
        {
            Console.Write(text);
        }

        /// <summary>
        /// Feeds the console lines of a deployed file (e.g. `provision ...`); false when there is none.
        /// The caller deletes the file once the lines have run, so they run once.
        /// </summary>
        public bool FeedFile(string path)
        {
            if (!File.Exists(path))
            {
                return false;
            }

            byte[] data = File.ReadAllBytes(path);
            Feed(data, data.Length);
            Feed(new byte[] { (byte)'\n' }, 1);      // a last line without a newline still runs
            return true;
        }

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
