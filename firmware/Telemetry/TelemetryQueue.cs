using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Telemetry
{
    /// <summary>
    /// Reports waiting for the next connection, persisted so a reboot or deep sleep loses none: battery
    /// snapshots (percent u8 | millivolts u16 | state u8) in up to Capacity records. Consecutive reports
    /// with the same battery state coalesce into the latest; a full queue overwrites its newest entry.
    /// Serial, firmware and error counts are added when a report is sent.
    /// </summary>
    public sealed class TelemetryQueue
    {
        public const int Capacity = 4;
        private const int StateKey = 0xFFFF;

        private readonly RecordStore _store;
        private readonly byte[] _buffer = new byte[8];

        public TelemetryQueue(RecordStore store)
        {
            _store = store;
        }

        public int Count
        {
            get { return _store.KeysOf(RecordType.TelemetryQueue).Length - (_store.Contains(RecordType.TelemetryQueue, StateKey) ? 1 : 0); }
        }

        public void Enqueue(int percent, int millivolts, BatteryState state)
        {
            int[] keys = Keys();
            int key;
            if (keys.Length > 0 && (StateOf(keys[keys.Length - 1]) == (int)state || keys.Length >= Capacity))
            {
                key = keys[keys.Length - 1];
            }
            else
            {
                key = keys.Length == 0 ? 1 : keys[keys.Length - 1] + 1;
            }

            _buffer[0] = (byte)percent;
            SmartKey.Firmware.Crypto.Bytes.WriteUInt16LittleEndian(millivolts, _buffer, 1);
            _buffer[3] = (byte)state;
            _store.Write(RecordType.TelemetryQueue, key, _buffer, 0, 4);
            if (LastReportedBattery != state) LastReportedBattery = state;
        }

        /// <summary>The oldest report; false when empty.</summary>
        public bool TryPeek(out int key, out int percent, out int millivolts, out BatteryState state)
        {
            int[] keys = Keys();
            key = 0;
            percent = millivolts = 0;
            state = BatteryState.Ok;
            if (keys.Length == 0) return false;
            key = keys[0];
            int length;
            if (_store.Read(RecordType.TelemetryQueue, key, _buffer, out length) != StoreResult.Ok || length != 4)
            {
                _store.Delete(RecordType.TelemetryQueue, key);
                return false;
            }

            percent = _buffer[0];
            millivolts = SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(_buffer, 1);
            state = (BatteryState)_buffer[3];
            return true;
        }

        public void Remove(int key)
        {
            _store.Delete(RecordType.TelemetryQueue, key);
        }

        /// <summary>
        /// True once per day, at or after the device's daily window: the day is recorded as reported at
        /// once, so a reboot in the window does not report twice.
        /// </summary>
        public bool ClaimDailyReport(long unixSeconds, long windowOffsetSeconds)
        {
            long day = unixSeconds / SmartKey.Firmware.Power.PowerManager.Day;
            if (day <= LastDailyDay || unixSeconds % SmartKey.Firmware.Power.PowerManager.Day < windowOffsetSeconds) return false;
            LastDailyDay = day;
            return true;
        }

        /// <summary>The unix day of the last daily report (kept with the queue: day u32 | battery state u8).</summary>
        public long LastDailyDay
        {
            get { return ReadState() ? SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(_buffer, 0) : 0; }
            set { WriteState(value, LastReportedBattery); }
        }

        /// <summary>The battery state last queued for the backend, so a change is noticed across deep sleeps.</summary>
        public BatteryState LastReportedBattery
        {
            get { return ReadState() ? (BatteryState)_buffer[4] : BatteryState.Ok; }
            set { WriteState(LastDailyDay, value); }
        }

        private bool ReadState()
        {
            int length;
            return _store.Read(RecordType.TelemetryQueue, StateKey, _buffer, out length) == StoreResult.Ok && length == 5;
        }

        private void WriteState(long day, BatteryState battery)
        {
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian((uint)day, _buffer, 0);
            _buffer[4] = (byte)battery;
            _store.Write(RecordType.TelemetryQueue, StateKey, _buffer, 0, 5);
        }

        private int StateOf(int key)
        {
            int length;
            return _store.Read(RecordType.TelemetryQueue, key, _buffer, out length) == StoreResult.Ok && length == 4 ? _buffer[3] : -1;
        }

        private int[] Keys()
        {
            int[] all = _store.KeysOf(RecordType.TelemetryQueue);
            int n = 0;
            for (int i = 0; i < all.Length; i++) if (all[i] != StateKey) n++;
            int[] keys = new int[n];
            n = 0;
            for (int i = 0; i < all.Length; i++) if (all[i] != StateKey) keys[n++] = all[i];
            return keys;
        }
    }
}
