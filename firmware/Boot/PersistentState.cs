using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Reset;
using SmartKey.Firmware.Settings;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Telemetry;

namespace SmartKey.Firmware.Boot
{
    /// <summary>
    /// What flash keeps, brought into the rooms: mounted and loaded on the wake path, loaded again after a
    /// factory reset, and the owner's settings handed to the rooms they configure (auto-lock delay, log
    /// retention, consent to error reports).
    /// </summary>
    public sealed class PersistentState
    {
        private readonly RecordStore _store;
        private readonly UnlockLog _log;
        private readonly FactoryReset _reset;
        private readonly ProvisionedIdentity _identity;
        private readonly ActiveSettings _settings;
        private readonly BindingStore _bindings;
        private readonly PairingLockout _lockout;
        private readonly ErrorCounters _errors;
        private readonly LockController _lock;

        public PersistentState(RecordStore store, UnlockLog log, FactoryReset reset, ProvisionedIdentity identity, ActiveSettings settings, BindingStore bindings,
            PairingLockout lockout, ErrorCounters errors, LockController lockController)
        {
            _store = store;
            _log = log;
            _reset = reset;
            _identity = identity;
            _settings = settings;
            _bindings = bindings;
            _lockout = lockout;
            _errors = errors;
            _lock = lockController;
        }

        /// <summary>Mounts the record store and the log, finishes a factory reset a power cut interrupted, then loads.</summary>
        public StoreResult MountAndLoad()
        {
            StoreResult mounted = _store.Mount();
            if (mounted == StoreResult.Ok) mounted = _log.Mount();
            if (mounted == StoreResult.Ok) mounted = _reset.ResumeIfPending();
            Load();
            return mounted;
        }

        public void Load()
        {
            _identity.Load();
            _settings.Load();
            _bindings.Load();
            _lockout.Load();
            _errors.Enabled = _settings.Current.ErrorReportsAllowed;
            _errors.Load();
            _lock.AutoLockDelaySeconds = _settings.Current.AutoLockDelaySeconds;
            _log.MaxAgeDays = _settings.Current.LogRetentionDays;
        }

        /// <summary>Subscribed to ActiveSettings.Changed: an owner's new settings take effect at once.</summary>
        public void Apply(DeviceSettings settings)
        {
            _lock.AutoLockDelaySeconds = settings.AutoLockDelaySeconds;
            _log.MaxAgeDays = settings.LogRetentionDays;
            _errors.ApplyConsent(settings.ErrorReportsAllowed);
        }
    }
}
