namespace SmartKey.Hal
{
    /// <summary>
    /// The ADC1 channel that reads the battery through a resistor divider. Raw counts only:
    /// millivolts come from the calibration in nf.config (firmware/Battery).
    /// </summary>
    public interface IBatteryAdc
    {
        int MaxCount { get; }

        int ReadCount();
    }
}
