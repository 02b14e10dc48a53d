namespace SmartKey.Firmware.Lock
{
    public enum LockState
    {
        Unknown = 0,
        Locked = 1,
        Unlocked = 2,
        Locking = 3,
        Unlocking = 4,
        /// <summary>The end-stop was not reached in time: the motor was stopped; a new command retries.</summary>
        Jammed = 5,
    }
}
