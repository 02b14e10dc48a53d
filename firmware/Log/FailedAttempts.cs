using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;

namespace SmartKey.Firmware.Log
{
    /// <summary>
    /// Failed authentications in the unlock log, coalesced so strangers cannot push the owner's entries out.
    /// A burst is a run of failures less than BurstGapSeconds apart. Its first failure is logged as it is
    /// (AuthenticationFailed with the reason); when a later failure finds the burst over, one
    /// AuthenticationFailures entry closes it (key id of its last failure, result = number of failures,
    /// 255 meaning 255 or more). At most MaxBurstsPerDay bursts open per day; after that the day's failures
    /// all fold into the open burst. An entry is only written when it evicts nothing the owner may still
    /// read (UnlockLog.HasRoomWithoutEvicting); otherwise the failure is only counted. The burst is
    /// persisted (one small record per failure), so it survives the deep sleep between attempts.
    /// Record: start u32 | last u32 | count u16 | key id u8 | day u32 | bursts today u8.
    /// </summary>
    public sealed class FailedAttempts
    {
        public const int BurstGapSeconds = 60;
        public const int MaxBurstsPerDay = 4;
        private const int RecordLength = 16;

        private readonly UnlockLog _log;
        private readonly LogRecorder _recorder;
        private readonly RecordStore _store;
        private readonly IRealTimeClock _rtc;
        private readonly byte[] _record = new byte[RecordLength];
        private bool _loaded;
        private uint _startUnix;
        private uint _lastUnix;
        private int _count;
        private byte _keyId;
        private uint _day;
        private int _burstsToday;

        public FailedAttempts(UnlockLog log, LogRecorder recorder, RecordStore store, IRealTimeClock rtc)
        {
            _log = log;
            _recorder = recorder;
            _store = store;
            _rtc = rtc;
        }

        /// <summary>Failures in the open burst (0 when none).</summary>
        public int BurstCount
        {
            get { Load(); return _count; }
        }

        /// <summary>One failed attempt: action a LogAction, reason the ErrorCode the owner's log shows.</summary>
        public void Failed(byte action, byte keyId, byte reason)
        {
            Load();
            uint now = (uint)_rtc.UnixSeconds;
            uint day = now / 86400;
            if (day != _day)
            {
                _day = day;
                _burstsToday = 0;
            }

            bool over = _count == 0 || now < _lastUnix || now - _lastUnix > BurstGapSeconds;
            if (over && _count > 0 && _burstsToday >= MaxBurstsPerDay && now >= _lastUnix && now - _startUnix < 86400) over = false;
            if (over)
            {
                Close();
                _burstsToday++;
                _startUnix = now;
                _count = 0;
                if (_log.HasRoomWithoutEvicting(now)) _recorder.Record(action, LogTrigger.Phone, keyId, reason);
                else _recorder.Note(action, LogTrigger.Phone, keyId, reason);
            }
            else
            {
                _recorder.Note(action, LogTrigger.Phone, keyId, reason);      // counted for telemetry, not logged
            }

            _count++;
            _lastUnix = now;
            _keyId = keyId;
            Save();
        }

        /// <summary>A session opened: a burst that is over gets its closing entry now, before the owner reads the log.</summary>
        public void CloseIfOver()
        {
            Load();
            uint now = (uint)_rtc.UnixSeconds;
            if (_count == 0 || (now >= _lastUnix && now - _lastUnix <= BurstGapSeconds)) return;
            Close();
            Save();
        }

        /// <summary>A factory reset wiped the store: forget the burst too.</summary>
        public void Forget()
        {
            _count = 0;
            _burstsToday = 0;
            _loaded = true;
        }

        /// <summary>Writes the closing entry of the burst (when it had more than its first failure).</summary>
        private void Close()
        {
            if (_count > 1 && _log.HasRoomWithoutEvicting(_rtc.UnixSeconds))
            {
                _recorder.Record(LogAction.AuthenticationFailures, LogTrigger.Phone, _keyId, (byte)(_count > 255 ? 255 : _count));
            }

            _count = 0;
        }

        private void Load()
        {
            if (_loaded) return;
            _loaded = true;
            int length;
            if (_store.Read(RecordType.FailedAttempts, 0, _record, out length) != StoreResult.Ok || length != RecordLength) return;
            _startUnix = Bytes.ReadUInt32LittleEndian(_record, 0);
            _lastUnix = Bytes.ReadUInt32LittleEndian(_record, 4);
            _count = Bytes.ReadUInt16LittleEndian(_record, 8);
            _keyId = _record[10];
            _day = Bytes.ReadUInt32LittleEndian(_record, 11);
            _burstsToday = _record[15];
        }

        private void Save()
        {
            Bytes.WriteUInt32LittleEndian(_startUnix, _record, 0);
            Bytes.WriteUInt32LittleEndian(_lastUnix, _record, 4);
            Bytes.WriteUInt16LittleEndian(_count > 65535 ? 65535 : _count, _record, 8);
            _record[10] = _keyId;
            Bytes.WriteUInt32LittleEndian(_day, _record, 11);
            _record[15] = (byte)(_burstsToday > 255 ? 255 : _burstsToday);
            _store.Write(RecordType.FailedAttempts, 0, _record, 0, RecordLength);
        }
    }
}
