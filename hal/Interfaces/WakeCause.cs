namespace SmartKey.Hal
{
    public enum WakeCause
    {
        PowerOn = 0,
        Button = 1,
        Door = 2,
        Timer = 3,
        Reboot = 4,
    }
}
