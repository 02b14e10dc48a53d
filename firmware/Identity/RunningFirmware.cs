using SmartKey.Hal;

namespace SmartKey.Firmware.Identity
{
    /// <summary>Which firmware this lock runs: the version the bootloader reports for the running image, else nf.config's.</summary>
    public sealed class RunningFirmware
    {
        private readonly IFirmwareSlots _slots;
        private readonly string _configuredVersion;

        public RunningFirmware(IFirmwareSlots slots, string configuredVersion)
        {
            _slots = slots;
            _configuredVersion = configuredVersion;
        }

        public string Version
        {
            get
            {
                string running = _slots.RunningVersion;
                return running ?? _configuredVersion;
            }
        }
    }
}
