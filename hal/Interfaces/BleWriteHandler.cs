namespace SmartKey.Hal
{
    /// <summary>One ATT write to the SmartKey write characteristic (at most MTU - 3 bytes).</summary>
    public delegate void BleWriteHandler(object sender, byte[] value);
}
