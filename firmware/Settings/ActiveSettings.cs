using SmartKey.Firmware.Config;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Settings
{
    /// <summary>
    /// The owner's settings in force: loaded at boot (nf.config's defaults until an owner saves some) and
    /// changed by an owner's SetSettings, which is written to flash before it takes effect.
    /// </summary>
    public sealed class ActiveSettings
    {
        private readonly RecordStore _store;
        private readonly DeviceConfig _config;

        public ActiveSettings(RecordStore store, DeviceConfig config)
        {
            _store = store;
            _config = config;
        }

        /// <summary>Raised after an owner's change was saved (not by Load).</summary>
        public event SettingsChangedHandler Changed;

        public DeviceSettings Current { get; private set; }

        public void Load()
        {
            Current = SettingsStore.Load(_store, _config);
        }

        /// <summary>Saves and applies new settings; a failed write changes nothing.</summary>
        public StoreResult Change(DeviceSettings settings)
        {
            StoreResult saved = SettingsStore.Save(_store, settings);
            if (saved != StoreResult.Ok) return saved;
            Current = settings;
            if (Changed != null) Changed(settings);
            return StoreResult.Ok;
        }
    }
}
