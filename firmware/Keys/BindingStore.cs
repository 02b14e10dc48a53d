using System.Collections;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Keys
{
    /// <summary>
    /// The paired phones, kept in RAM and persisted as Binding records (one record per binding, so adding or
    /// revoking one rewrites only that one). A binding whose record is damaged is loaded as revoked: the
    /// store fails closed.
    /// </summary>
    public sealed class BindingStore
    {
        private readonly RecordStore _store;
        private readonly int _maxBindings;
        private readonly Hashtable _bindings = new Hashtable();
        private readonly byte[] _buffer = new byte[Binding.EncodedLength];

        public BindingStore(RecordStore store, int maxBindings)
        {
            _store = store;
            _maxBindings = maxBindings;
        }

        public int DamagedBindings { get; private set; }

        /// <summary>
        /// How many times an owner was added or revoked on this lock since its last factory reset (persisted):
        /// owners see it in Status, so an app notices at its next session when owners changed behind its back.
        /// </summary>
        public uint OwnerChanges { get; private set; }

        public int Count
        {
            get { return _bindings.Count; }
        }

        public bool HasOwner
        {
            get
            {
                foreach (object entryKey in _bindings.Keys)
                {
                    Binding b = (Binding)_bindings[entryKey];
                    if (b.IsOwner && !b.Revoked) return true;
                }

                return false;
            }
        }

        public void Load()
        {
            _bindings.Clear();
            DamagedBindings = 0;
            byte[] changes = new byte[4];
            int changesLength;
            OwnerChanges = _store.Read(RecordType.OwnerChanges, 0, changes, out changesLength) == StoreResult.Ok && changesLength == 4
                ? SmartKey.Firmware.Crypto.Bytes.ReadUInt32LittleEndian(changes, 0) : 0;
            int[] ids = _store.KeysOf(RecordType.Binding);
            for (int i = 0; i < ids.Length; i++)
            {
                int length;
                StoreResult read = _store.Read(RecordType.Binding, ids[i], _buffer, out length);
                Binding binding = read == StoreResult.Ok ? Binding.Decode(_buffer, length) : null;
                if (binding == null || binding.Id != ids[i])
                {
                    // Unknown content: keep the id taken, allow nothing.
                    binding = new Binding();
                    binding.Id = (byte)ids[i];
                    binding.Role = BindingRole.Guest;
                    binding.Revoked = true;
                    DamagedBindings++;
                }

                _bindings[(int)binding.Id] = binding;
            }
        }

        public Binding Find(int id)
        {
            return (Binding)_bindings[id];
        }

        /// <summary>All bindings, ascending by id.</summary>
        public Binding[] All()
        {
            int[] ids = _store.KeysOf(RecordType.Binding);
            ArrayList list = new ArrayList();
            for (int i = 0; i < ids.Length; i++)
            {
                Binding b = Find(ids[i]);
                if (b != null) list.Add(b);
            }

            Binding[] result = new Binding[list.Count];
            for (int i = 0; i < result.Length; i++) result[i] = (Binding)list[i];
            return result;
        }

        /// <summary>
        /// Stores a new binding under the lowest free id (1..254), or when none is free under the lowest
        /// revoked one: its record holds no key any more, and the new binding's fresh random key is what
        /// a session needs, so a former holder of the id opens nothing. The binding's Id is set.
        /// </summary>
        public KeyResult Add(Binding binding)
        {
            if (binding == null || binding.Key == null || binding.Key.Length != Binding.KeyLength) return KeyResult.InvalidArgument;
            if (binding.StartMinute > 1440 || binding.EndMinute > 1440 || (binding.Days & 0x80) != 0) return KeyResult.InvalidArgument;
            if (binding.ValidUntil != 0 && binding.ValidUntil <= binding.ValidFrom) return KeyResult.InvalidArgument;
            if (ActiveCount() >= _maxBindings) return KeyResult.Full;
            int id = 0;
            for (int candidate = 1; candidate <= 254; candidate++)
            {
                if (!_bindings.Contains(candidate) && !_store.IsDamaged(RecordType.Binding, candidate))
                {
                    id = candidate;
                    break;
                }
            }

            for (int candidate = 1; candidate <= 254 && id == 0; candidate++)
            {
                Binding old = Find(candidate);
                if (old != null && old.Revoked && !_store.IsDamaged(RecordType.Binding, candidate)) id = candidate;
            }

            if (id == 0) return KeyResult.Full;
            binding.Id = (byte)id;
            byte[] encoded = binding.Encode();
            if (_store.Write(RecordType.Binding, id, encoded, 0, encoded.Length) != StoreResult.Ok) return KeyResult.StorageError;
            _bindings[id] = binding;
            if (binding.IsOwner) NoteOwnerChange();
            return KeyResult.Ok;
        }

        private void NoteOwnerChange()
        {
            OwnerChanges++;
            byte[] changes = new byte[4];
            SmartKey.Firmware.Crypto.Bytes.WriteUInt32LittleEndian(OwnerChanges, changes, 0);
            _store.Write(RecordType.OwnerChanges, 0, changes, 0, 4);
        }

        /// <summary>Revokes a binding: its key is zeroed in the new record and it opens nothing from now on.</summary>
        public KeyResult Revoke(int id)
        {
            Binding binding = Find(id);
            if (binding == null || binding.Revoked) return KeyResult.NotFound;
            if (binding.IsOwner && OwnerCount() <= 1) return KeyResult.LastOwner;
            Binding revoked = Binding.Decode(binding.Encode(), Binding.EncodedLength);
            revoked.Revoked = true;
            System.Array.Clear(revoked.Key, 0, Binding.KeyLength);
            byte[] encoded = revoked.Encode();
            if (_store.Write(RecordType.Binding, id, encoded, 0, encoded.Length) != StoreResult.Ok) return KeyResult.StorageError;
            System.Array.Clear(binding.Key, 0, Binding.KeyLength);
            _bindings[id] = revoked;
            if (revoked.IsOwner) NoteOwnerChange();
            return KeyResult.Ok;
        }

        private int ActiveCount()
        {
            int n = 0;
            foreach (object entryKey in _bindings.Keys)
            {
                if (!((Binding)_bindings[entryKey]).Revoked) n++;
            }

            return n;
        }

        private int OwnerCount()
        {
            int n = 0;
            foreach (object entryKey in _bindings.Keys)
            {
                Binding b = (Binding)_bindings[entryKey];
                if (b.IsOwner && !b.Revoked) n++;
            }

            return n;
        }
    }
}
