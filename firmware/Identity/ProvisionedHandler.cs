namespace SmartKey.Firmware.Identity
{
    /// <summary>The lock was provisioned with this serial number.</summary>
    public delegate void ProvisionedHandler(string serial);
}
