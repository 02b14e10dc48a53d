namespace SmartKey.Firmware.Reset
{
    /// <summary>A factory reset ran (see FactoryReset.Completed).</summary>
    public delegate void ResetCompletedHandler();
}
