using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Ota
{
    /// <summary>What a freshly booted image checks before it confirms itself: storage and crypto work, and the identity is readable.</summary>
    public sealed class ImageSelfTest
    {
        private readonly RecordStore _store;
        private readonly ProvisionedIdentity _identity;

        public ImageSelfTest(RecordStore store, ProvisionedIdentity identity)
        {
            _store = store;
            _identity = identity;
        }

        public bool Passes()
        {
            byte[] abc = new byte[] { 0x61, 0x62, 0x63 };
            byte[] digest = SmartKey.Firmware.Crypto.Sha256.Hash(abc);
            bool crypto = digest[0] == 0xBA && digest[1] == 0x78 && digest[31] == 0xAD;
            return crypto && _store.DamagedKeys == 0 && (_identity.Current != null || !_store.Contains(RecordType.Identity, 0));
        }
    }
}
