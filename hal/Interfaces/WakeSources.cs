namespace SmartKey.Hal
{
    [System.Flags]
    public enum WakeSources
    {
        None = 0,
        Button = 1,
        Door = 2,
        Timer = 4,
    }
}
