using System.Text;

namespace SmartKey.Hal.Simulated;

/// <summary>The USB serial console: the technician types bytes, the device's output is collected.</summary>
public sealed class SimSerialConsole : ISerialConsole
{
    private readonly StringBuilder _output = new();

    public event ConsoleDataHandler? DataReceived;

    public void Write(string text)
    {
        lock (_output) _output.Append(text);
    }

    public void Type(byte[] bytes) => DataReceived?.Invoke(this, bytes, bytes.Length);

    public void TypeLine(string line) => Type(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Returns and clears what the device wrote.</summary>
    public string TakeOutput()
    {
        lock (_output)
        {
            string text = _output.ToString();
            _output.Clear();
            return text;
        }
    }
}
