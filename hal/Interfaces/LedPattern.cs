namespace SmartKey.Hal
{
    public enum LedPattern
    {
        Off = 0,
        On = 1,
        BlinkSlow = 2,
        BlinkFast = 3,
    }
}
