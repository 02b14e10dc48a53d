using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// Images that failed on this lock after their signature verified (a policy check on the signed fields, the
    /// self-test), so a repeated offer of the same image is refused at once instead of being downloaded again every
    /// window. The key is the image hash (SHA-256 of header, payload and protected TLVs: what the signature covers,
    /// and what every such failure is about): any copy of those bytes with a valid signature fails the same way, and
    /// a copy whose signature or other unsigned bytes were damaged is never remembered, so it cannot block the
    /// genuine image. Bounded (the newest Capacity, oldest forgotten first) and persisted as one record:
    /// format u8 = 2 | count u8 | count × (image hash 32 | error u8). Format 1 (count u8 | count × hash, no format
    /// byte) may hold images remembered before their signature was checked: it is dropped on load. Wiped by a
    /// factory reset (the record does not survive it; Forget clears what is in RAM).
    /// </summary>
    public sealed class FailedImages
    {
        public const int Capacity = 8;
        private const byte Format = 2;
        private const int EntryLength = 33;

        private readonly RecordStore _store;
        private readonly byte[][] _hashes = new byte[Capacity][];
        private readonly byte[] _errors = new byte[Capacity];
        private int _count;

        public FailedImages(RecordStore store)
        {
            _store = store;
        }

        public int Count
        {
            get { return _count; }
        }

        public void Load()
        {
            _count = 0;
            byte[] buffer = new byte[2 + Capacity * EntryLength];
            int length;
            if (_store.Read(RecordType.FailedImages, 0, buffer, out length) != StoreResult.Ok || length < 2 || buffer[0] != Format) return;
            int n = buffer[1];
            if (n > Capacity || length != 2 + n * EntryLength) return;
            for (int i = 0; i < n; i++)
            {
                _hashes[i] = new byte[32];
                System.Array.Copy(buffer, 2 + i * EntryLength, _hashes[i], 0, 32);
                _errors[i] = buffer[2 + i * EntryLength + 32];
            }

            _count = n;
        }

        public bool Contains(byte[] imageHash)
        {
            if (imageHash == null || imageHash.Length != 32) return false;
            for (int i = 0; i < _count; i++)
            {
                if (ConstantTime.AreEqual(_hashes[i], imageHash)) return true;
            }

            return false;
        }

        /// <summary>Remembers an image whose signature verified and which then failed with error (once); the oldest entry goes when full.</summary>
        public StoreResult Remember(byte[] imageHash, byte error)
        {
            if (imageHash == null || imageHash.Length != 32 || Contains(imageHash)) return StoreResult.Ok;
            if (_count == Capacity)
            {
                for (int i = 1; i < Capacity; i++)
                {
                    _hashes[i - 1] = _hashes[i];
                    _errors[i - 1] = _errors[i];
                }

                _count--;
            }

            _hashes[_count] = (byte[])imageHash.Clone();
            _errors[_count] = error;
            _count++;
            byte[] record = new byte[2 + _count * EntryLength];
            record[0] = Format;
            record[1] = (byte)_count;
            for (int i = 0; i < _count; i++)
            {
                System.Array.Copy(_hashes[i], 0, record, 2 + i * EntryLength, 32);
                record[2 + i * EntryLength + 32] = _errors[i];
            }

            return _store.Write(RecordType.FailedImages, 0, record, 0, record.Length);
        }

        /// <summary>After a factory reset (which wiped the record): nothing is remembered any more.</summary>
        public void Forget()
        {
            _count = 0;
            for (int i = 0; i < Capacity; i++) _hashes[i] = null;
        }
    }
}
