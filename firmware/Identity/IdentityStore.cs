using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Identity
{
    /// <summary>Reads and writes the factory identity record; provisioning is allowed once (factory state).</summary>
    public static class IdentityStore
    {
        public static DeviceIdentity Load(RecordStore store)
        {
            byte[] buffer = new byte[RecordStore.MaxPayloadLength];
            int length;
            if (store.Read(RecordType.Identity, 0, buffer, out length) != StoreResult.Ok) return null;
            return DeviceIdentity.Decode(buffer, length);
        }

        public static StoreResult Save(RecordStore store, DeviceIdentity identity)
        {
            byte[] encoded = identity.Encode();
            return store.Write(RecordType.Identity, 0, encoded, 0, encoded.Length);
        }
    }
}
