namespace SmartKey.Hal
{
    /// <summary>The three useful states of the H-bridge that drives the bolt motor.</summary>
    public enum MotorDrive
    {
        Stop = 0,
        /// <summary>Drives the bolt out (towards locked).</summary>
        Extend = 1,
        /// <summary>Drives the bolt in (towards unlocked).</summary>
        Retract = 2,
    }
}
