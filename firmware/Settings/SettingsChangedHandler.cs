namespace SmartKey.Firmware.Settings
{
    /// <summary>An owner changed the settings (already saved).</summary>
    public delegate void SettingsChangedHandler(DeviceSettings settings);
}
