using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Telemetry
{
    /// <summary>
    /// Error reports as the backend may see them: codes and counts since the last report, nothing else
    /// (no times, no key ids, no text). At most MaxCodes distinct codes; counted only while the owner allows
    /// error reports. Persisted (record: count u8, then code u8 | count u16 per code).
    /// </summary>
    public sealed class ErrorCounters
    {
        public const int MaxCodes = 16;

        private readonly RecordStore _store;
        private readonly byte[] _codes = new byte[MaxCodes];
        private readonly int[] _counts = new int[MaxCodes];

        public ErrorCounters(RecordStore store)
        {
            _store = store;
        }

        public int Distinct { get; private set; }

        public bool Enabled { get; set; }

        public int Total
        {
            get
            {
                int total = 0;
                for (int i = 0; i < Distinct; i++) total += _counts[i];
                return total;
            }
        }

        public byte CodeAt(int i)
        {
            return _codes[i];
        }

        public int CountAt(int i)
        {
            return _counts[i];
        }

        public void Load()
        {
            Distinct = 0;
            byte[] b = new byte[1 + 3 * MaxCodes];
            int length;
            if (_store.Read(RecordType.ErrorCounters, 0, b, out length) != StoreResult.Ok || length < 1 || b[0] > MaxCodes || length != 1 + 3 * b[0]) return;
            for (int i = 0; i < b[0]; i++)
            {
                _codes[i] = b[1 + 3 * i];
                _counts[i] = SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(b, 2 + 3 * i);
            }

            Distinct = b[0];
        }

        public void Count(byte code)
        {
            if (!Enabled) return;
            int i = 0;
            while (i < Distinct && _codes[i] != code) i++;
            if (i == Distinct)
            {
                if (Distinct == MaxCodes) return;
                _codes[i] = code;
                _counts[i] = 0;
                Distinct++;
            }

            if (_counts[i] < 65535) _counts[i]++;
            Save();
        }

        /// <summary>The owner's consent to error reports: withdrawn, the counts are forgotten.</summary>
        public void ApplyConsent(bool allowed)
        {
            Enabled = allowed;
            if (!allowed) Clear();
        }

        public void Clear()
        {
            if (Distinct == 0) return;
            Distinct = 0;
            Save();
        }

        private void Save()
        {
            byte[] b = new byte[1 + 3 * Distinct];
            b[0] = (byte)Distinct;
            for (int i = 0; i < Distinct; i++)
            {
                b[1 + 3 * i] = _codes[i];
                SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(_counts[i], b, 2 + 3 * i);
            }

            _store.Write(RecordType.ErrorCounters, 0, b, 0, b.Length);
        }
    }
}
