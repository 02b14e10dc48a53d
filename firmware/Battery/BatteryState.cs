namespace SmartKey.Firmware.Battery
{
    public enum BatteryState
    {
        Ok = 0,
        /// <summary>Warn the owner (status, Battery Service) and the backend (telemetry).</summary>
        Low = 1,
        /// <summary>Save power: no Wi-Fi telemetry, no OTA, shorter advertising; keep a reserve of unlocks.</summary>
        Critical = 2,
    }
}
