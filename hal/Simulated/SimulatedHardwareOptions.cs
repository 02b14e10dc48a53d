namespace SmartKey.Hal.Simulated;

/// <summary>What the simulated device is made of; the simulator fills it from nf.config.</summary>
public sealed class SimulatedHardwareOptions
{
    public ulong Seed { get; set; } = 1;
    public long UnixSecondsAtStart { get; set; } = 1_767_225_600;
    public int FlashSectorSize { get; set; } = 4096;
    public int FlashSectors { get; set; } = 64;
    public string? FlashImagePath { get; set; }
    public int BoltTravelMs { get; set; } = 800;
    public bool HasDoorSensor { get; set; } = true;
    public int DividerTopOhms { get; set; } = 100_000;
    public int DividerBottomOhms { get; set; } = 47_000;
    public int AdcFullScaleMillivolts { get; set; } = 3300;
    public string FirmwareVersion { get; set; } = "1.0.0";
}
