using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Telemetry
{
    /// <summary>
    /// How many Wi-Fi windows error bursts may open per day (MaxPerDay): strangers who fail on purpose must
    /// not run the radio. Further bursts are counted and go out in the daily report. Persisted (day u32 |
    /// windows u8), written only when a window is granted, so it holds across wakes.
    /// </summary>
    public sealed class ErrorWindowQuota
    {
        public const int MaxPerDay = 2;

        private readonly RecordStore _store;
        private readonly byte[] _record = new byte[5];
        private bool _loaded;
        private uint _day;
        private int _used;

        public ErrorWindowQuota(RecordStore store)
        {
            _store = store;
        }

        /// <summary>True (and counted) when another error window may open today.</summary>
        public bool TryTake(long unixSeconds)
        {
            if (!_loaded)
            {
                _loaded = true;
                int length;
                if (_store.Read(RecordType.ErrorWindowQuota, 0, _record, out length) == StoreResult.Ok && length == 5)
                {
                    _day = Bytes.ReadUInt32LittleEndian(_record, 0);
                    _used = _record[4];
                }
            }

            uint day = (uint)(unixSeconds / 86400);
            if (day != _day)
            {
                _day = day;
                _used = 0;
            }

            if (_used >= MaxPerDay) return false;
            _used++;
            Bytes.WriteUInt32LittleEndian(_day, _record, 0);
            _record[4] = (byte)_used;
            _store.Write(RecordType.ErrorWindowQuota, 0, _record, 0, 5);
            return true;
        }
    }
}
