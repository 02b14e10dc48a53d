namespace SmartKey.OtaServer.Releases;

/// <summary>A verified image the server may offer: id is its SHA-256 (the file's address on disk).</summary>
public sealed class Release
{
    public string Id { get; set; } = "";
    public string Version { get; set; } = "";
    public long SecurityCounter { get; set; }
    public string HardwareId { get; set; } = "";
    public long Size { get; set; }
    public long CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
