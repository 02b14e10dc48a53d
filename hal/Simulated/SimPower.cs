namespace SmartKey.Hal.Simulated;

public sealed class SimPower : IPower
{
    public WakeCause LastWakeCause { get; set; } = WakeCause.PowerOn;

    public int DeepSleeps { get; private set; }

    public int Reboots { get; private set; }

    public void DeepSleep(WakeSources sources, long timerMilliseconds)
    {
        DeepSleeps++;
        throw new DeviceRestartException(true, sources, timerMilliseconds);
    }

    public void Reboot()
    {
        Reboots++;
        throw new DeviceRestartException(false, WakeSources.None, 0);
    }
}
