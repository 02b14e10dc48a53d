using SmartKey.Firmware.Storage;
using SmartKey.Hal;

namespace SmartKey.Firmware.Log
{
    /// <summary>
    /// The local unlock log: an append-only ring of 16-byte entries over its own flash sectors. One flash
    /// write per event; when the head sector is full the oldest sector is erased (retention by count).
    /// Entries older than the retention age are not returned, and whole sectors of them are erased.
    /// A torn append only damages its own slot, which reads as invalid; committed entries are never
    /// rewritten. It never leaves the device except to an owner over a session, read from a cursor.
    /// Mounting reads one slot per sector plus a binary search for the end of the head: a short wake path.
    /// </summary>
    public sealed class UnlockLog
    {
        private readonly IFlash _flash;
        private readonly int _firstSector;
        private readonly int _count;
        private readonly int _slotsPerSector;
        private readonly uint[] _firstSequence;
        private readonly bool[] _hasEntries;
        private readonly byte[] _slot = new byte[LogEntry.Length];
        private readonly LogEntry _scratch = new LogEntry();
        private int _head = -1;
        private int _nextSlot;
        private uint _nextSequence = 1;
        private bool _mounted;

        public UnlockLog(IFlash flash, int firstSector, int sectorCount, int maxEntries, int maxAgeDays)
        {
            if (sectorCount < 2 || firstSector < 0 || firstSector + sectorCount > flash.SectorCount) throw new System.ArgumentOutOfRangeException("sectorCount");
            _flash = flash;
            _firstSector = firstSector;
            _count = sectorCount;
            _slotsPerSector = flash.SectorSize / LogEntry.Length;
            _firstSequence = new uint[sectorCount];
            _hasEntries = new bool[sectorCount];
            MaxEntries = maxEntries;
            MaxAgeDays = maxAgeDays;
        }

        /// <summary>Retention by count: the newest MaxEntries are kept (also bounded by the ring's capacity).</summary>
        public int MaxEntries { get; set; }

        /// <summary>Retention by age in days (the owner may lower it); older entries are not returned and get erased.</summary>
        public int MaxAgeDays { get; set; }

        public int Capacity
        {
            get { return (_count - 1) * _slotsPerSector; }
        }

        public uint LastSequence
        {
            get { return _nextSequence - 1; }
        }

        /// <summary>
        /// The time of the newest entry: the time floor. The log's times never go back, except through an
        /// owner's ClockSet (whose entry carries the owner's time): an entry made while the clock is below
        /// the floor is stamped with the floor, so a lost clock cannot lower it across a wake.
        /// </summary>
        public uint NewestUnixTime { get; private set; }

        public long BytesRead { get; private set; }

        public StoreResult Mount()
        {
            _head = -1;
            _nextSlot = 0;
            _nextSequence = 1;
            NewestUnixTime = 0;
            uint newest = 0;
            for (int s = 0; s < _count; s++)
            {
                _hasEntries[s] = false;
                int used = UsedSlots(s);
                if (used < 0) return StoreResult.FlashError;
                if (used == 0) continue;

                // The first readable entry orders the sector in the ring; the last gives the next sequence.
                uint first = 0, last = 0, lastTime = 0;
                bool found = false;
                for (int i = 0; i < used && !found; i++)
                {
                    if (ReadSlot(s, i) && LogEntry.TryDecode(_slot, 0, _scratch))
                    {
                        first = _scratch.Sequence;
                        found = true;
                    }
                }

                for (int i = used - 1; i >= 0 && found; i--)
                {
                    if (ReadSlot(s, i) && LogEntry.TryDecode(_slot, 0, _scratch))
                    {
                        last = _scratch.Sequence;
                        lastTime = _scratch.UnixTime;
                        break;
                    }
                }

                _hasEntries[s] = true;
                _firstSequence[s] = found ? first : 0;
                if (last >= newest && (found || _head < 0))
                {
                    newest = last;
                    NewestUnixTime = lastTime;
                    _head = s;
                    _nextSlot = used;
                }
            }

            _nextSequence = newest + 1;
            _mounted = true;
            return StoreResult.Ok;
        }

        /// <summary>Appends one entry (its Sequence is assigned here). One flash write, plus an erase per sector filled.</summary>
        public StoreResult Append(LogEntry entry, long nowUnixSeconds)
        {
            if (!_mounted) return StoreResult.NotMounted;
            if (_head < 0 || _nextSlot >= _slotsPerSector)
            {
                int next = _head < 0 ? 0 : (_head + 1) % _count;
                if (_flash.EraseSector(_firstSector + next) != FlashResult.Ok) return StoreResult.FlashError;
                _hasEntries[next] = false;
                _head = next;
                _nextSlot = 0;
            }

            entry.Sequence = _nextSequence;
            if (entry.Action != LogAction.ClockSet && entry.UnixTime < NewestUnixTime) entry.UnixTime = NewestUnixTime;
            entry.Encode(_slot, 0);
            FlashResult written = _flash.Write(SlotAddress(_head, _nextSlot), _slot, 0, LogEntry.Length);
            if (written != FlashResult.Ok) return StoreResult.FlashError;
            if (!_hasEntries[_head])
            {
                _hasEntries[_head] = true;
                _firstSequence[_head] = entry.Sequence;
            }

            _nextSlot++;
            _nextSequence++;
            NewestUnixTime = entry.UnixTime;
            ExpireOldSectors(nowUnixSeconds);
            return StoreResult.Ok;
        }

        /// <summary>
        /// Whether one more entry pushes out nothing an owner can still read: the log holds fewer than
        /// MaxEntries entries within retention, and the next append erases no sector with such an entry.
        /// </summary>
        public bool HasRoomWithoutEvicting(long nowUnixSeconds)
        {
            if (!_mounted) return false;
            long oldestTime = nowUnixSeconds - (long)MaxAgeDays * 86400;
            int retained = 0;
            for (int s = 0; s < _count; s++)
            {
                if (!_hasEntries[s]) continue;
                int used = s == _head ? _nextSlot : _slotsPerSector;
                if (ReadSlot(s, used - 1) && LogEntry.TryDecode(_slot, 0, _scratch) && _scratch.UnixTime >= oldestTime) retained += used;
            }

            if (retained + 1 > MaxEntries) return false;
            if (_head < 0 || _nextSlot < _slotsPerSector) return true;
            int next = (_head + 1) % _count;
            if (!_hasEntries[next]) return true;
            int nextUsed = UsedSlots(next);
            return nextUsed <= 0 || !ReadSlot(next, nextUsed - 1) || !LogEntry.TryDecode(_slot, 0, _scratch) || _scratch.UnixTime < oldestTime;
        }

        /// <summary>
        /// Copies entries with a sequence above cursor (oldest first) into output; returns how many. Only
        /// entries inside both retention limits are returned. An owner passes the last sequence it saw.
        /// </summary>
        public int ReadAfter(uint cursor, long nowUnixSeconds, LogEntry[] output)
        {
            if (!_mounted || output == null) return 0;
            uint newestAllowed = _nextSequence - 1;
            uint oldestByCount = newestAllowed >= (uint)MaxEntries ? newestAllowed - (uint)MaxEntries + 1 : 1;
            long oldestTime = nowUnixSeconds - (long)MaxAgeDays * 86400;
            int n = 0;
            int[] order = SectorsOldestFirst();
            for (int o = 0; o < order.Length && n < output.Length; o++)
            {
                int s = order[o];
                int used = s == _head ? _nextSlot : _slotsPerSector;
                for (int i = 0; i < used && n < output.Length; i++)
                {
                    if (!ReadSlot(s, i) || !LogEntry.TryDecode(_slot, 0, _scratch)) continue;
                    if (_scratch.Sequence <= cursor || _scratch.Sequence < oldestByCount || _scratch.UnixTime < oldestTime) continue;
                    if (output[n] == null) output[n] = new LogEntry();
                    output[n].CopyFrom(_scratch);
                    n++;
                }
            }

            return n;
        }

        /// <summary>Erases every sector (factory reset): no entry remains readable in the flash.</summary>
        public StoreResult Wipe()
        {
            for (int s = 0; s < _count; s++)
            {
                if (_flash.EraseSector(_firstSector + s) != FlashResult.Ok) return StoreResult.FlashError;
                _hasEntries[s] = false;
            }

            _head = -1;
            _nextSlot = 0;
            _nextSequence = 1;
            NewestUnixTime = 0;
            return StoreResult.Ok;
        }

        private void ExpireOldSectors(long nowUnixSeconds)
        {
            long oldestTime = nowUnixSeconds - (long)MaxAgeDays * 86400;
            for (int s = 0; s < _count; s++)
            {
                if (s == _head || !_hasEntries[s]) continue;
                // The sector's newest entry is its last written slot.
                int used = UsedSlots(s);
                if (used <= 0 || !ReadSlot(s, used - 1) || !LogEntry.TryDecode(_slot, 0, _scratch)) continue;
                if (_scratch.UnixTime < oldestTime && _flash.EraseSector(_firstSector + s) == FlashResult.Ok)
                {
                    _hasEntries[s] = false;
                }
            }
        }

        /// <summary>Slots are filled in order, so the first erased slot is found by binary search; -1 on a read error.</summary>
        private int UsedSlots(int s)
        {
            int low = 0, high = _slotsPerSector;
            while (low < high)
            {
                int mid = (low + high) / 2;
                if (!ReadSlot(s, mid)) return -1;
                if (RecordFormat.IsErased(_slot, 0, LogEntry.Length))
                {
                    high = mid;
                }
                else
                {
                    low = mid + 1;
                }
            }

            return low;
        }

        private bool ReadSlot(int s, int slot)
        {
            BytesRead += LogEntry.Length;
            return _flash.Read(SlotAddress(s, slot), _slot, 0, LogEntry.Length) == FlashResult.Ok;
        }

        private int SlotAddress(int s, int slot)
        {
            return (_firstSector + s) * _flash.SectorSize + slot * LogEntry.Length;
        }

        private int[] SectorsOldestFirst()
        {
            int n = 0;
            for (int s = 0; s < _count; s++)
            {
                if (_hasEntries[s]) n++;
            }

            int[] order = new int[n];
            n = 0;
            for (int s = 0; s < _count; s++)
            {
                if (_hasEntries[s]) order[n++] = s;
            }

            for (int i = 1; i < order.Length; i++)
            {
                int v = order[i];
                int j = i - 1;
                while (j >= 0 && _firstSequence[order[j]] > _firstSequence[v])
                {
                    order[j + 1] = order[j];
                    j--;
                }

                order[j + 1] = v;
            }

            return order;
        }
    }
}
