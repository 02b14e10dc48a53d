namespace SmartKey.Firmware.Config
{
    /// <summary>Why nf.config was refused: the line (1-based, 0 when a key is missing) and what is wrong.</summary>
    public sealed class ConfigError
    {
        public ConfigError(int line, string message)
        {
            Line = line;
            Message = message;
        }

        public int Line { get; }

        public string Message { get; }

        public override string ToString()
        {
            return Line > 0 ? "nf.config line " + Line.ToString() + ": " + Message : "nf.config: " + Message;
        }
    }
}
