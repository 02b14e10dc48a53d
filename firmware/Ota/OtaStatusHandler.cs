namespace SmartKey.Firmware.Ota
{
    /// <summary>A status report for the update's source: OtaState, OtaError, bytes received, image size.</summary>
    public delegate void OtaStatusHandler(byte state, byte error, int offset, int size);
}
