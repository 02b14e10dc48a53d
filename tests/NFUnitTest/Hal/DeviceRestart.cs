using System;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>The running program ends here (deep sleep, or a reboot).</summary>
    public sealed class DeviceRestart : Exception
    {
        public DeviceRestart(bool deepSleep)
            : base(deepSleep ? "deep sleep" : "reboot")
        {
            IsDeepSleep = deepSleep;
        }

        public bool IsDeepSleep { get; private set; }
    }
}
