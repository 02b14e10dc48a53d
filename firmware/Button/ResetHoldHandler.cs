namespace SmartKey.Firmware.Button
{
    /// <summary>A factory-reset hold ended without a reset.</summary>
    public delegate void ResetHoldHandler();
}
