namespace SmartKey.Firmware.Commands
{
    /// <summary>What the session layer must do after a command.</summary>
    public sealed class CommandOutcome
    {
        /// <summary>The response plaintext, or null while a lock movement is under way (answered on completion).</summary>
        public byte[] Response;
        public bool EndSession;
        public bool FactoryResetAfterResponse;
        public byte RevokedBinding;
    }
}
