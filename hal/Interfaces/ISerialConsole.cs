namespace SmartKey.Hal
{
    /// <summary>The technician's service console (USB serial). Bytes in, text out; the core does the line discipline.</summary>
    public interface ISerialConsole
    {
        void Write(string text);

        event ConsoleDataHandler DataReceived;
    }
}
