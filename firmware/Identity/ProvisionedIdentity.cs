using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Identity
{
    /// <summary>
    /// The factory identity this lock runs with (serial, SPAKE2+ verifier, OTA trust keys), or null in factory
    /// state. Loaded from flash at boot; replaced by factory provisioning from the service console.
    /// </summary>
    public sealed class ProvisionedIdentity
    {
        private readonly RecordStore _store;

        public ProvisionedIdentity(RecordStore store)
        {
            _store = store;
        }

        /// <summary>Raised after a provisioning was written to flash.</summary>
        public event ProvisionedHandler Provisioned;

        public DeviceIdentity Current { get; private set; }

        /// <summary>The serial number, null while unprovisioned.</summary>
        public string Serial
        {
            get { return Current == null ? null : Current.Serial; }
        }

        public void Load()
        {
            Current = IdentityStore.Load(_store);
        }

        /// <summary>Factory provisioning: the identity is in use once it is in flash.</summary>
        public StoreResult Provision(DeviceIdentity identity)
        {
            StoreResult result = IdentityStore.Save(_store, identity);
            if (result == StoreResult.Ok)
            {
                Current = identity;
                if (Provisioned != null) Provisioned(identity.Serial);
            }

            return result;
        }
    }
}
