namespace SmartKey.Firmware.Battery
{
    /// <summary>The battery's state (ok, LOW, CRITICAL) changed.</summary>
    public delegate void BatteryStateChangedHandler();
}
