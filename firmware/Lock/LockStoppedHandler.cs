namespace SmartKey.Firmware.Lock
{
    /// <summary>A lock request finished: the bolt is still.</summary>
    public delegate void LockStoppedHandler();
}
