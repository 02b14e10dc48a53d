namespace SmartKey.OtaServer.Devices;

/// <summary>
/// One admitted lock: the factory's record (serial, hardware, certificate hash, trust key ids) and the four
/// things the lock reports (firmware version, battery state, error codes, and when it was last seen).
/// </summary>
public sealed class Device
{
    public string Serial { get; set; } = "";
    public string HardwareId { get; set; } = "";
    public string CertificateSha256 { get; set; } = "";
    public string TrustKeyIds { get; set; } = "";
    public string IssuedAt { get; set; } = "";
    public long AdmittedAt { get; set; }
    public string? Firmware { get; set; }
    public string? BatteryState { get; set; }
    public long? BatteryPercent { get; set; }
    public long? BatteryMillivolts { get; set; }
    public string? Errors { get; set; }
    public long? LastSeenAt { get; set; }
}
