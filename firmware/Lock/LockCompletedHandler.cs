namespace SmartKey.Firmware.Lock
{
    /// <summary>A lock or unlock finished (or jammed). action is a LogAction, trigger a LogTrigger.</summary>
    public delegate void LockCompletedHandler(byte action, byte trigger, byte bindingId, LockResult result);
}
