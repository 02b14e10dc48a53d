using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>Deep sleep and reboot end the program on the device; here they throw DeviceRestart, and the test's lock boots again.</summary>
    public sealed class RestartingPower : IPower
    {
        public WakeCause LastWakeCause { get; set; }

        public void DeepSleep(WakeSources sources, long timerMilliseconds)
        {
            throw new DeviceRestart(true);
        }

        public void Reboot()
        {
            throw new DeviceRestart(false);
        }
    }
}
