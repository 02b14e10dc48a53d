namespace SmartKey.Firmware.Log
{
    /// <summary>An unlock-log entry is about to be written (action LogAction, trigger LogTrigger, result ErrorCode).</summary>
    public delegate void LogEntryHandler(byte action, byte trigger, byte bindingId, byte result);
}
