namespace SmartKey.Firmware.Lock
{
    public enum BoltPosition
    {
        /// <summary>Neither end-stop is reached (moving, jammed half-way, or a broken switch).</summary>
        Between = 0,
        Locked = 1,
        Unlocked = 2,
        /// <summary>Both end-stops report reached at once: a wiring fault.</summary>
        Fault = 3,
    }
}
