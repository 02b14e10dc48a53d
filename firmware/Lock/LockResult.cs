namespace SmartKey.Firmware.Lock
{
    public enum LockResult
    {
        Ok = 0,
        /// <summary>The bolt is moving; try again when it stops.</summary>
        Busy = 1,
        Jammed = 2,
        /// <summary>Both end-stops active: wiring fault; the motor is not driven.</summary>
        Fault = 3,
        Started = 4,
    }
}
