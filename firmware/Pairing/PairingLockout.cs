using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>
    /// Counts pairing attempts that did not end in a correct confirmation, persisted so that a reboot or
    /// deep sleep does not reset it. Each attempt is counted when it starts (a prover can test its one
    /// guess against confirmV without ever confirming). Back-off: the first three attempts are free, then
    /// 2, 4, 8 … seconds; after Cap attempts pairing stops until a button press.
    /// Record: failures u8 | locked until (unix s) u32.
    /// </summary>
    public sealed class PairingLockout
    {
        public const int FreeAttempts = 3;
        public const int Cap = 10;

        private readonly RecordStore _store;
        private readonly byte[] _buffer = new byte[5];

        public PairingLockout(RecordStore store)
        {
            _store = store;
        }

        public int Failures { get; private set; }

        public long LockedUntil { get; private set; }

        /// <summary>Seconds to wait after the n-th counted failure (pure, table-tested).</summary>
        public static int BackoffSeconds(int failures)
        {
            if (failures <= FreeAttempts) return 0;
            int exponent = failures - FreeAttempts;
            return exponent >= 16 ? 65535 : 1 << exponent;
        }

        public void Load()
        {
            int length;
            Failures = 0;
            LockedUntil = 0;
            if (_store.Read(RecordType.PairingLockout, 0, _buffer, out length) == StoreResult.Ok && length == 5)
            {
                Failures = _buffer[0];
                LockedUntil = SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(_buffer, 1);
            }
        }

        public bool IsCapped
        {
            get { return Failures >= Cap; }
        }

        /// <summary>Seconds until another attempt is allowed (0 = now).</summary>
        public long WaitSeconds(long now)
        {
            return LockedUntil > now ? LockedUntil - now : 0;
        }

        public StoreResult CountAttempt(long now)
        {
            Failures = Failures < 255 ? Failures + 1 : 255;
            LockedUntil = now + BackoffSeconds(Failures);
            return Save();
        }

        /// <summary>A press of the button (someone is at the lock) lifts the cap; the back-off stays.</summary>
        public void OnButtonPressed(long heldMs)
        {
            if (IsCapped) Clear();
        }

        public StoreResult Clear()
        {
            if (Failures == 0 && LockedUntil == 0) return StoreResult.Ok;
            Failures = 0;
            LockedUntil = 0;
            return Save();
        }

        private StoreResult Save()
        {
            _buffer[0] = (byte)Failures;
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian((uint)LockedUntil, _buffer, 1);
            return _store.Write(RecordType.PairingLockout, 0, _buffer, 0, 5);
        }
    }
}
