using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// Hashes of images that failed on this lock (hash, signature, offer mismatch, self-test, revert), so a
    /// repeated offer of the same image is refused at once instead of being downloaded again every window.
    /// Bounded (the newest Capacity, oldest forgotten first) and persisted as one record:
    /// count u8 | count × SHA-256 (32). A new signed image has a new hash and is offered normally.
    /// </summary>
    public sealed class FailedImages
    {
        public const int Capacity = 8;

        private readonly RecordStore _store;
        private readonly byte[][] _hashes = new byte[Capacity][];
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
            byte[] buffer = new byte[1 + Capacity * 32];
            int length;
            if (_store.Read(RecordType.FailedImages, 0, buffer, out length) != StoreResult.Ok || length < 1) return;
            int n = buffer[0];
            if (n > Capacity || length != 1 + n * 32) return;
            for (int i = 0; i < n; i++)
            {
                _hashes[i] = new byte[32];
                System.Array.Copy(buffer, 1 + i * 32, _hashes[i], 0, 32);
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

        /// <summary>Remembers a failed image (once); the oldest entry goes when full.</summary>
        public StoreResult Remember(byte[] imageHash)
        {
            if (imageHash == null || imageHash.Length != 32 || Contains(imageHash)) return StoreResult.Ok;
            if (_count == Capacity)
            {
                for (int i = 1; i < Capacity; i++) _hashes[i - 1] = _hashes[i];
                _count--;
            }

            _hashes[_count] = (byte[])imageHash.Clone();
            _count++;
            byte[] record = new byte[1 + _count * 32];
            record[0] = (byte)_count;
            for (int i = 0; i < _count; i++) System.Array.Copy(_hashes[i], 0, record, 1 + i * 32, 32);
            return _store.Write(RecordType.FailedImages, 0, record, 0, record.Length);
        }

        public void Clear()
        {
            _count = 0;
        }
    }
}
