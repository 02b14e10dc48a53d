namespace SmartKey.Firmware.Session
{
    /// <summary>The session manager hangs up on a central that opened no session in time.</summary>
    public delegate void SilentCentralHandler();
}
