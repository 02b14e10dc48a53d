using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Identity;

namespace SmartKey.Firmware.Ota
{
    /// <summary>Keeps the update agent's view of the lock current (trust keys, running version, battery) before it acts.</summary>
    public sealed class OtaPreparation
    {
        private readonly UpdateAgent _agent;
        private readonly ProvisionedIdentity _identity;
        private readonly RunningFirmware _firmware;
        private readonly BatteryMonitor _battery;

        public OtaPreparation(UpdateAgent agent, ProvisionedIdentity identity, RunningFirmware firmware, BatteryMonitor battery)
        {
            _agent = agent;
            _identity = identity;
            _firmware = firmware;
            _battery = battery;
        }

        public void Prepare()
        {
            _agent.TrustKeys = _identity.Current == null ? null : _identity.Current.OtaTrustKeys;
            _agent.RunningVersion = _firmware.Version;
            _agent.BatteryAllowsOta = _battery.AllowsOta;
        }
    }
}
