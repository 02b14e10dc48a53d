using System.Collections;
using SmartKey.Hal;

namespace SmartKey.Firmware.Storage
{
    /// <summary>
    /// Typed, versioned records on NOR flash that survive a power cut at any point. The sectors form a
    /// circular log: every update appends a new version (one flash write) with a higher sequence number;
    /// the newest intact version wins at mount. A torn append fails its CRC and the previous version stays
    /// current. When free sectors run low the oldest sector is collected: its still-current records are
    /// copied to the head first, then it is erased, so a cut in between leaves duplicates, never losses.
    /// Sectors are used round-robin (wear spreads over all of them); write amplification is bounded by
    /// the live data of one sector per collected sector. Format: RecordFormat.
    /// </summary>
    public sealed class RecordStore
    {
        public const int MaxPayloadLength = 1024;

        private readonly IFlash _flash;
        private readonly int _firstSector;
        private readonly int _count;
        private readonly int _sectorSize;
        private readonly uint[] _sectorSequence;
        private readonly bool[] _used;
        private readonly int[] _end;
        private readonly Hashtable _index = new Hashtable();
        private readonly byte[] _io;
        private readonly byte[] _header = new byte[RecordFormat.SectorHeaderLength];
        private readonly byte[] _commit = new byte[1];
        private int _head = -1;
        private bool _headClosed;
        private uint _nextSequence = 1;
        private uint _nextSectorSequence = 1;
        private bool _mounted;

        public RecordStore(IFlash flash, int firstSector, int sectorCount)
        {
            if (flash == null) throw new System.ArgumentNullException("flash");
            if (sectorCount < 3 || firstSector < 0 || firstSector + sectorCount > flash.SectorCount)
            {
                throw new System.ArgumentOutOfRangeException("sectorCount");
            }

            _flash = flash;
            _firstSector = firstSector;
            _count = sectorCount;
            _sectorSize = flash.SectorSize;
            _sectorSequence = new uint[sectorCount];
            _used = new bool[sectorCount];
            _end = new int[sectorCount];
            _io = new byte[RecordFormat.RecordFootprint(MaxPayloadLength)];
        }

        /// <summary>Committed records whose header or payload failed a CRC at the last mount (damage).</summary>
        public int CorruptRecords { get; private set; }

        /// <summary>Records found without their commit byte at the last mount (appends cut by a power loss).</summary>
        public int UncommittedRecords { get; private set; }

        /// <summary>Keys whose newest version is damaged: reads report Damaged until they are rewritten.</summary>
        public int DamagedKeys { get; private set; }

        public long BytesRead { get; private set; }

        public int RecordsRead { get; private set; }

        public int UsedSectors
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _count; i++)
                {
                    if (_used[i]) n++;
                }

                return n;
            }
        }

        /// <summary>Scans the flash and rebuilds the index. Never throws on bad data: damage is counted.</summary>
        public StoreResult Mount()
        {
            _index.Clear();
            _head = -1;
            _headClosed = false;
            CorruptRecords = 0;
            UncommittedRecords = 0;
            DamagedKeys = 0;
            BytesRead = 0;
            RecordsRead = 0;
            uint maxSequence = 0;
            uint maxSectorSequence = 0;
            for (int s = 0; s < _count; s++)
            {
                _used[s] = false;
                _end[s] = RecordFormat.SectorHeaderLength;
                if (Read(Address(s), _header, RecordFormat.SectorHeaderLength) != FlashResult.Ok)
                {
                    return StoreResult.FlashError;
                }

                uint sequence;
                if (RecordFormat.TryReadSectorHeader(_header, out sequence))
                {
                    _used[s] = true;
                    _sectorSequence[s] = sequence;
                    if (sequence > maxSectorSequence) maxSectorSequence = sequence;
                }
            }

            Hashtable damaged = new Hashtable();
            int[] order = SectorsOldestFirst();
            for (int i = 0; i < order.Length; i++)
            {
                int s = order[i];
                bool sealedEarly;
                uint sectorMax = ScanSector(s, damaged, out sealedEarly);
                if (sectorMax > maxSequence) maxSequence = sectorMax;
                _head = s;
                _headClosed = sealedEarly;
            }

            // A damaged newest version hides whatever older version survived: the value is unknown.
            foreach (object entryKey in damaged.Keys)
            {
                RecordLocation current = (RecordLocation)_index[entryKey];
                uint damagedSequence = (uint)damaged[entryKey];
                if (current == null || current.Sequence < damagedSequence)
                {
                    RecordLocation marker = new RecordLocation();
                    marker.Sequence = damagedSequence;
                    marker.Damaged = true;
                    marker.Sector = -1;
                    _index[entryKey] = marker;
                    DamagedKeys++;
                }
            }

            _nextSequence = maxSequence + 1;
            _nextSectorSequence = maxSectorSequence + 1;
            _mounted = true;
            return StoreResult.Ok;
        }

        /// <summary>Reads the current payload; NotFound when absent or deleted, Damaged when its CRC fails.</summary>
        public StoreResult Read(int type, int key, byte[] buffer, out int length)
        {
            length = 0;
            if (!_mounted) return StoreResult.NotMounted;
            RecordLocation location = (RecordLocation)_index[IndexKey(type, key)];
            if (location == null || location.Deleted) return StoreResult.NotFound;
            if (location.Damaged) return StoreResult.Damaged;
            if (buffer == null || buffer.Length < location.Length) return StoreResult.BadArgument;
            int footprint = RecordFormat.RecordFootprint(location.Length);
            if (Read(Address(location.Sector) + location.Offset, _io, footprint) != FlashResult.Ok) return StoreResult.FlashError;
            int crcAt = RecordFormat.RecordHeaderLength + location.Length;
            if (SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(_io, crcAt) != Crc32.Compute(_io, 0, crcAt))
            {
                location.Damaged = true;
                return StoreResult.Damaged;
            }

            System.Array.Copy(_io, RecordFormat.RecordHeaderLength, buffer, 0, location.Length);
            length = location.Length;
            return StoreResult.Ok;
        }

        public bool Contains(int type, int key)
        {
            RecordLocation location = (RecordLocation)_index[IndexKey(type, key)];
            return location != null && !location.Deleted;
        }

        /// <summary>Keys of the live (or damaged) records of a type, ascending.</summary>
        public int[] KeysOf(int type)
        {
            ArrayList keys = new ArrayList();
            foreach (object entryKey in _index.Keys)
            {
                int k = (int)entryKey;
                if ((k >> 16) == type && !((RecordLocation)_index[entryKey]).Deleted)
                {
                    keys.Add(k & 0xFFFF);
                }
            }

            int[] result = new int[keys.Count];
            for (int i = 0; i < result.Length; i++) result[i] = (int)keys[i];
            SortAscending(result);
            return result;
        }

        public StoreResult Write(int type, int key, byte[] payload, int offset, int length)
        {
            if (payload == null || length < 0 || length > MaxPayloadLength || offset < 0 || offset + length > payload.Length) return StoreResult.BadArgument;
            return Append(type, key, false, payload, offset, length, false);
        }

        public StoreResult Delete(int type, int key)
        {
            if (!Contains(type, key) && !IsDamaged(type, key)) return StoreResult.NotFound;
            return Append(type, key, true, _io, 0, 0, false);
        }

        public bool IsDamaged(int type, int key)
        {
            RecordLocation location = (RecordLocation)_index[IndexKey(type, key)];
            return location != null && location.Damaged;
        }

        /// <summary>
        /// Rewrites the records whose type survives a factory reset into a freshly erased sector, then erases
        /// every other sector: afterwards no byte of any other record remains in the flash. Safe to repeat
        /// after a power cut (the caller's reset intent record survives it and triggers the repeat).
        /// </summary>
        public StoreResult WipeAllExceptFactoryRecords()
        {
            if (!_mounted) return StoreResult.NotMounted;
            StoreResult opened = OpenSector();
            if (opened != StoreResult.Ok) return opened;
            uint firstKeptSector = _sectorSequence[_head];

            ArrayList keep = new ArrayList();
            foreach (object entryKey in _index.Keys)
            {
                RecordLocation location = (RecordLocation)_index[entryKey];
                if (RecordType.SurvivesFactoryReset((int)entryKey >> 16) && !location.Deleted && !location.Damaged)
                {
                    keep.Add(entryKey);
                }
            }

            for (int i = 0; i < keep.Count; i++)
            {
                int k = (int)keep[i];
                StoreResult copied = CopyCurrent(k, (RecordLocation)_index[k]);
                if (copied != StoreResult.Ok) return copied;
            }

            // Every other sector, "free" ones included: an erase cut short leaves a sector whose header reads
            // as free while old records still sit behind it.
            for (int s = 0; s < _count; s++)
            {
                if (!_used[s] || _sectorSequence[s] < firstKeptSector)
                {
                    if (Erase(s) != FlashResult.Ok) return StoreResult.FlashError;
                }
            }

            // Keep only what survives in the index.
            ArrayList drop = new ArrayList();
            foreach (object entryKey in _index.Keys)
            {
                if (!RecordType.SurvivesFactoryReset((int)entryKey >> 16)) drop.Add(entryKey);
            }

            for (int i = 0; i < drop.Count; i++) _index.Remove(drop[i]);
            return StoreResult.Ok;
        }

        private StoreResult Append(int type, int key, bool deleted, byte[] payload, int offset, int length, bool collecting)
        {
            if (!_mounted) return StoreResult.NotMounted;
            int footprint = RecordFormat.RecordFootprint(length);
            for (int attempt = 0; attempt < 2; attempt++)
            {
                if (_head < 0 || _headClosed || _end[_head] + footprint > _sectorSize)
                {
                    StoreResult opened = collecting ? OpenSectorForCollection() : OpenSector();
                    if (opened != StoreResult.Ok) return opened;
                }

                uint sequence = _nextSequence;
                RecordFormat.EncodeRecord(_io, type, key, sequence, deleted, payload, offset, length);
                int at = _end[_head];
                FlashResult written = _flash.Write(Address(_head) + at, _io, 0, footprint);
                if (written == FlashResult.NotErased)
                {
                    // Left-over bytes where the head should be free (damage, or a torn write we could not see):
                    // never write over them; continue in a fresh sector.
                    _headClosed = true;
                    continue;
                }

                if (written != FlashResult.Ok) return StoreResult.FlashError;
                _nextSequence++;
                _end[_head] = at + footprint;
                _commit[0] = RecordFormat.Committed;
                if (_flash.Write(Address(_head) + at + RecordFormat.CommitOffset(length), _commit, 0, 1) != FlashResult.Ok) return StoreResult.FlashError;
                RecordLocation location = new RecordLocation();
                location.Sector = _head;
                location.Offset = at;
                location.Sequence = sequence;
                location.Length = length;
                location.Deleted = deleted;
                _index[IndexKey(type, key)] = location;
                return StoreResult.Ok;
            }

            return StoreResult.FlashError;
        }

        /// <summary>Opens a new head sector, first collecting old sectors so one stays free for collection.</summary>
        private StoreResult OpenSector()
        {
            for (int guard = 0; FreeSectors() < 2; guard++)
            {
                if (guard >= _count) return StoreResult.Full;
                StoreResult collected = CollectOldest();
                if (collected != StoreResult.Ok) return collected;
            }

            return OpenSectorForCollection();
        }

        private StoreResult OpenSectorForCollection()
        {
            int next = -1;
            for (int i = 1; i <= _count; i++)
            {
                int candidate = ((_head < 0 ? -1 : _head) + i + _count) % _count;
                if (!_used[candidate])
                {
                    next = candidate;
                    break;
                }
            }

            if (next < 0) return StoreResult.Full;
            if (Erase(next) != FlashResult.Ok) return StoreResult.FlashError;
            RecordFormat.WriteSectorHeader(_header, _nextSectorSequence);
            if (_flash.Write(Address(next), _header, 0, RecordFormat.SectorHeaderLength) != FlashResult.Ok) return StoreResult.FlashError;
            _sectorSequence[next] = _nextSectorSequence++;
            _used[next] = true;
            _end[next] = RecordFormat.SectorHeaderLength;
            _head = next;
            _headClosed = false;
            return StoreResult.Ok;
        }

        /// <summary>Moves the oldest sector's current records to the head, then erases it.</summary>
        private StoreResult CollectOldest()
        {
            int oldest = -1;
            for (int s = 0; s < _count; s++)
            {
                if (_used[s] && s != _head && (oldest < 0 || _sectorSequence[s] < _sectorSequence[oldest])) oldest = s;
            }

            if (oldest < 0) return StoreResult.Full;
            ArrayList current = new ArrayList();
            foreach (object entryKey in _index.Keys)
            {
                RecordLocation location = (RecordLocation)_index[entryKey];
                if (location.Sector == oldest) current.Add(entryKey);
            }

            for (int i = 0; i < current.Count; i++)
            {
                int k = (int)current[i];
                RecordLocation location = (RecordLocation)_index[k];
                if (location.Deleted)
                {
                    // Every older version lives in this sector or before: the tombstone can go with it.
                    _index.Remove(k);
                    continue;
                }

                StoreResult copied = CopyCurrent(k, location);
                if (copied != StoreResult.Ok) return copied;
            }

            return Erase(oldest) == FlashResult.Ok ? StoreResult.Ok : StoreResult.FlashError;
        }

        private StoreResult CopyCurrent(int indexKey, RecordLocation location)
        {
            byte[] payload = new byte[location.Length];
            int length;
            StoreResult read = Read(indexKey >> 16, indexKey & 0xFFFF, payload, out length);
            if (read == StoreResult.Damaged)
            {
                return StoreResult.Ok;             // nothing trustworthy to carry over; stays damaged
            }

            if (read != StoreResult.Ok) return read;
            return Append(indexKey >> 16, indexKey & 0xFFFF, false, payload, 0, length, true);
        }

        private uint ScanSector(int s, Hashtable damaged, out bool sealedEarly)
        {
            sealedEarly = false;
            uint max = 0;
            int offset = RecordFormat.SectorHeaderLength;
            int baseAddress = Address(s);
            while (offset + RecordFormat.RecordHeaderLength <= _sectorSize)
            {
                if (Read(baseAddress + offset, _io, RecordFormat.RecordHeaderLength) != FlashResult.Ok)
                {
                    sealedEarly = true;
                    break;
                }

                if (RecordFormat.IsErased(_io, 0, RecordFormat.RecordHeaderLength))
                {
                    break;
                }

                int type, key, length;
                uint sequence;
                bool deleted;
                if (!RecordFormat.TryReadHeader(_io, 0, out type, out key, out sequence, out length, out deleted)
                    || offset + RecordFormat.RecordFootprint(length) > _sectorSize || length > MaxPayloadLength)
                {
                    CorruptRecords++;
                    sealedEarly = true;
                    break;
                }

                int footprint = RecordFormat.RecordFootprint(length);
                int crcAt = RecordFormat.RecordHeaderLength + length;
                RecordsRead++;
                if (Read(baseAddress + offset, _io, crcAt + RecordFormat.RecordTrailerLength + 1) != FlashResult.Ok) break;
                int k = IndexKey(type, key);
                if (_io[RecordFormat.CommitOffset(length)] == 0xFF)
                {
                    // Cut short before its commit: as if never written. The previous version stays current.
                    UncommittedRecords++;
                }
                else if (SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(_io, crcAt) != Crc32.Compute(_io, 0, crcAt))
                {
                    CorruptRecords++;
                    object known = damaged[k];
                    if (known == null || (uint)known < sequence) damaged[k] = sequence;
                }
                else
                {
                    RecordLocation existing = (RecordLocation)_index[k];
                    if (existing == null || existing.Sequence < sequence)
                    {
                        RecordLocation location = new RecordLocation();
                        location.Sector = s;
                        location.Offset = offset;
                        location.Sequence = sequence;
                        location.Length = length;
                        location.Deleted = deleted;
                        _index[k] = location;
                    }
                }

                if (sequence > max) max = sequence;
                offset += footprint;
            }

            _end[s] = offset;
            return max;
        }

        private int[] SectorsOldestFirst()
        {
            int used = UsedSectors;
            int[] order = new int[used];
            int n = 0;
            for (int s = 0; s < _count; s++)
            {
                if (_used[s]) order[n++] = s;
            }

            for (int i = 1; i < order.Length; i++)
            {
                int v = order[i];
                int j = i - 1;
                while (j >= 0 && _sectorSequence[order[j]] > _sectorSequence[v])
                {
                    order[j + 1] = order[j];
                    j--;
                }

                order[j + 1] = v;
            }

            return order;
        }

        private int FreeSectors()
        {
            return _count - UsedSectors;
        }

        private FlashResult Erase(int s)
        {
            FlashResult result = _flash.EraseSector(_firstSector + s);
            if (result == FlashResult.Ok)
            {
                _used[s] = false;
                _end[s] = RecordFormat.SectorHeaderLength;
                if (_head == s) _head = -1;
            }

            return result;
        }

        private FlashResult Read(int address, byte[] buffer, int count)
        {
            BytesRead += count;
            return _flash.Read(address, buffer, 0, count);
        }

        private int Address(int s)
        {
            return (_firstSector + s) * _sectorSize;
        }

        private static int IndexKey(int type, int key)
        {
            return (type << 16) | (key & 0xFFFF);
        }

        private static void SortAscending(int[] values)
        {
            for (int i = 1; i < values.Length; i++)
            {
                int v = values[i];
                int j = i - 1;
                while (j >= 0 && values[j] > v)
                {
                    values[j + 1] = values[j];
                    j--;
                }

                values[j + 1] = v;
            }
        }
    }
}
