using SmartKey.Firmware.Config;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Settings
{
    /// <summary>The owner's settings record, with nf.config's values as defaults.</summary>
    public static class SettingsStore
    {
        public static DeviceSettings Load(RecordStore store, DeviceConfig config)
        {
            byte[] buffer = new byte[DeviceSettings.EncodedLength];
            int length;
            DeviceSettings settings = null;
            if (store.Read(RecordType.Settings, 0, buffer, out length) == StoreResult.Ok)
            {
                settings = DeviceSettings.Decode(buffer, length);
            }

            return settings ?? DeviceSettings.Defaults(config);
        }

        public static StoreResult Save(RecordStore store, DeviceSettings settings)
        {
            byte[] encoded = settings.Encode();
            return store.Write(RecordType.Settings, 0, encoded, 0, encoded.Length);
        }
    }
}
