using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>
    /// Keeps a verifier's prepared values (w0·N, -w0·M, the comb of L: 8.9 M IL to compute) in the record
    /// store, so they are computed once per identity and not after every wake from deep sleep. Two records
    /// (the store's payload limit is 1 KB); bound to w0 and L by a hash, so a re-provisioned lock recomputes.
    /// </summary>
    public static class PairingTables
    {
        private const int FirstLength = Spake2PlusVerifier.PreparedLength / 2;

        /// <summary>True when stored values for this verifier were found and taken.</summary>
        public static bool TryLoad(RecordStore store, Spake2PlusVerifier verifier)
        {
            byte[] record = new byte[RecordStore.MaxPayloadLength];
            byte[] all = new byte[Spake2PlusVerifier.PreparedLength];
            int length;
            if (store.Read(RecordType.PairingTables, 0, record, out length) != StoreResult.Ok || length != FirstLength) return false;
            System.Array.Copy(record, 0, all, 0, FirstLength);
            if (store.Read(RecordType.PairingTables, 1, record, out length) != StoreResult.Ok || length != all.Length - FirstLength) return false;
            System.Array.Copy(record, 0, all, FirstLength, length);
            return verifier.TryImportPrepared(all, 0, all.Length);
        }

        public static StoreResult Save(RecordStore store, Spake2PlusVerifier verifier)
        {
            byte[] all = new byte[Spake2PlusVerifier.PreparedLength];
            if (!verifier.ExportPrepared(all, 0)) return StoreResult.BadArgument;
            StoreResult first = store.Write(RecordType.PairingTables, 0, all, 0, FirstLength);
            if (first != StoreResult.Ok) return first;
            return store.Write(RecordType.PairingTables, 1, all, FirstLength, all.Length - FirstLength);
        }
    }
}
