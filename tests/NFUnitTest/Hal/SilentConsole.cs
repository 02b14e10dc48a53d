using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>A service console nobody types on; what the lock writes is dropped.</summary>
    public sealed class SilentConsole : ISerialConsole
    {
        public event ConsoleDataHandler DataReceived;

        public void Write(string text)
        {
        }

        /// <summary>Unused: nobody types (keeps the event from being unused).</summary>
        public void Type(byte[] data)
        {
            ConsoleDataHandler handler = DataReceived;
            if (handler != null)
            {
                handler(this, data, data.Length);
            }
        }
    }
}
