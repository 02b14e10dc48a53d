using System;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// The update agent's policy. An offer is checked (battery, size, hardware, version, security counter)
    /// before anything is written; chunks are taken strictly in order and staged in RAM; each full block of
    /// StageBytes (and the last one) is hashed and written to the secondary slot, with the progress persisted
    /// just before the write together with the fingerprint of the block (write-ahead). So flash records are
    /// bounded per MB whatever the chunk size, a disconnect resumes where it was, and a reboot resumes with
    /// at most one block fetched again, whose resend must equal what may already be in the slot: what is
    /// hashed and verified is exactly what is in the slot. After the last chunk the agent is Verifying: the progress
    /// record says so (all blocks are in the slot, the hash state is final), and the signature is checked one
    /// bounded step per main-loop turn (Poll), so no turn does more than a block's hashing or a step of the check;
    /// a reboot while verifying fails the attempt (the slot cannot be read back to hash it again, so it is downloaded
    /// again at the next offer), and nothing is marked before a check passed.
    /// Then the image is marked for a test boot; after the reboot the new image runs a self-test and confirms
    /// itself (storing the new anti-rollback counter), or asks to be reverted. Every change is reported through StatusChanged.
    /// </summary>
    public sealed class UpdateAgent
    {
        public const int MaxChunk = 4096;
        /// <summary>Bytes staged in RAM per slot write; two progress records per block: 512 records per MB whatever the chunk size.</summary>
        public const int StageBytes = 4096;
        /// <summary>A downloading status goes out when a download starts or resumes and then once per this many bytes: 16 per MB, not one per chunk (radio time, and the backend's writes).</summary>
        public const int ProgressReportBytes = 65536;

        private readonly IFirmwareSlots _slots;
        private readonly RecordStore _store;
        private readonly string _hardwareId;
        private readonly Sha256 _hash = new Sha256();
        private readonly ImageVerifier _verifier = new ImageVerifier();
        private OtaProgress _progress;
        private ImageHeader _header;
        private int _slotOffset;
        private readonly byte[] _stage = new byte[StageBytes];
        private int _staged;
        private readonly FailedImages _failed;
        private byte[] _digest;
        private readonly Sha256 _blockHash = new Sha256();
        private readonly byte[] _stateBefore = new byte[Sha256.StateLength];
        private readonly byte[] _stateAfter = new byte[Sha256.StateLength];
        private readonly byte[] _fingerprint = new byte[32];

        public UpdateAgent(IFirmwareSlots slots, RecordStore store, string hardwareId)
        {
            _slots = slots;
            _store = store;
            _hardwareId = hardwareId;
            _failed = new FailedImages(store);
            State = OtaState.Idle;
        }

        public event OtaStatusHandler StatusChanged;

        public byte State { get; private set; }

        public byte LastError { get; private set; }

        public byte[][] TrustKeys { get; set; }

        public string RunningVersion { get; set; }

        public bool BatteryAllowsOta { get; set; }

        /// <summary>True while the signature is being checked: the main loop must keep turning (no sleep) and call Poll.</summary>
        public bool IsVerifying
        {
            get { return State == OtaState.Verifying; }
        }

        /// <summary>Set once the new image is marked: the device reboots into it when idle.</summary>
        public bool RebootRequested { get; private set; }

        public int Offset
        {
            get { return _progress == null ? 0 : _progress.Offset + _staged; }
        }

        public int ImageSize
        {
            get { return _progress == null ? 0 : _progress.Offer.ImageSize; }
        }

        /// <summary>
        /// A chunk at this offset is a late copy of one already taken (the answer to a request that timed out and was
        /// sent again): it would change nothing, and is dropped without a status (under load those statuses fed the load).
        /// </summary>
        public bool IsLateChunk(int offset)
        {
            return State == OtaState.Downloading && offset < Offset;
        }

        public static uint StoredSecurityCounter(RecordStore store)
        {
            byte[] b = new byte[4];
            int length;
            return store.Read(RecordType.SecurityCounter, 0, b, out length) == StoreResult.Ok && length == 4 ? Bytes.ReadUInt32LittleEndian(b, 0) : 0;
        }

        /// <summary>At boot: finishes a test boot (self-test, confirm or revert) or reloads a download in progress.</summary>
        public void OnBoot(bool selfTestPassed)
        {
            _failed.Load();
            OtaProgress saved = OtaProgress.Load(_store);
            SlotState slot = _slots.State;
            if (slot == SlotState.Testing)
            {
                if (!selfTestPassed)
                {
                    // Keep the progress record: after the revert the next boot reports Reverted.
                    _slots.RequestRevert();
                    RebootRequested = true;
                    if (saved != null) _failed.Remember(saved.Offer.ImageHash, OtaError.SelfTestFailed);   // the hash the verified image had (Conclude checked the offer's)
                    Report(OtaState.Failed, OtaError.SelfTestFailed);
                    return;
                }

                if (_slots.ConfirmRunning() != SlotResult.Ok)
                {
                    Fail(OtaError.SlotError);
                    return;
                }

                // Verifying: cut after the mark and before the record said Testing; the mark comes only after the check passed.
                if (saved != null && (saved.State == OtaState.Testing || saved.State == OtaState.Verifying))
                {
                    byte[] counter = new byte[4];
                    Bytes.WriteUInt32LittleEndian(saved.Offer.SecurityCounter, counter, 0);
                    _store.Write(RecordType.SecurityCounter, 0, counter, 0, 4);
                }

                OtaProgress.Clear(_store);
                Report(OtaState.Confirmed, OtaError.None);
                return;
            }

            if (saved != null && saved.State == OtaState.Testing)
            {
                // Marked for a test boot but running the old image again: the bootloader reverted it.
                // Not remembered as failed: a power cut during the test boot reverts a good image too.
                OtaProgress.Clear(_store);
                Report(OtaState.Reverted, slot == SlotState.TestPending ? OtaError.None : OtaError.SelfTestFailed);
                return;
            }

            if (saved != null && saved.State == OtaState.Verifying)
            {
                // A cut during the check. The record's hash is of the bytes as they were written, not of what the slot
                // holds now (a bit may have changed while the lock was off), and the device's update API cannot read
                // the slot back to hash it again: so nothing written before the cut is trusted. The attempt fails
                // (slot error) and the next offer erases the slot and downloads the image again, hashing it as it passes.
                _progress = saved;
                Fail(OtaError.SlotError);
                return;
            }

            if (saved != null && saved.State == OtaState.Downloading)
            {
                _progress = saved;       // resumable: the next offer of the same image continues it
            }
        }

        /// <summary>
        /// The agent's share of a main-loop turn: while Verifying, one bounded step of the signature check (at most
        /// a few hundred thousand IL); the step that finishes it marks the image (Testing) or fails it.
        /// </summary>
        public void Poll()
        {
            if (State != OtaState.Verifying) return;
            if (!_verifier.Step()) return;
            Conclude(_verifier.Result);
        }

        /// <summary>For host tools and tests: runs every remaining verification step now; returns LastError. The device steps in Poll.</summary>
        public byte FinishVerification()
        {
            while (State == OtaState.Verifying)
            {
                Poll();
            }

            return LastError;
        }

        public byte Offer(OtaOffer offer)
        {
            if (offer == null) return Refuse(OtaError.BadOffer);
            if (_failed.Contains(offer.ImageHash))
            {
                LastError = OtaError.KnownBadImage;       // reported once, when it failed: no status, no download
                return OtaError.KnownBadImage;
            }

            if (State == OtaState.Testing || State == OtaState.Verifying) return Refuse(OtaError.Busy);
            if (!BatteryAllowsOta) return Refuse(OtaError.BatteryLow);
            if (offer.ImageSize > _slots.SecondaryCapacity) return Refuse(OtaError.TooLarge);
            if (offer.ImageSize <= ImageFormat.HeaderLength + ImageFormat.TlvInfoLength) return Refuse(OtaError.BadOffer);
            if (offer.HardwareId != _hardwareId) return Refuse(OtaError.WrongHardware);
            if (!ImageVerifier.IsNewer(offer.Major, offer.Minor, offer.Revision, offer.Build, RunningVersion)) return Refuse(OtaError.Downgrade);
            if (offer.SecurityCounter < StoredSecurityCounter(_store)) return Refuse(OtaError.SecurityCounterTooLow);

            if (_progress != null && _progress.State == OtaState.Downloading && SameImage(_progress.Offer, offer))
            {
                // Same boot: simply go on. After a reboot: reopen the slot where the progress record says.
                if (State == OtaState.Downloading || Resume())
                {
                    if (_progress.Offset == _progress.Offer.ImageSize) return Finish();   // cut after the last chunk
                    Report(OtaState.Downloading, OtaError.None);
                    return OtaError.None;
                }
            }

            if (_slots.BeginImage(offer.ImageSize) != SlotResult.Ok) return Refuse(OtaError.SlotError);
            _progress = new OtaProgress();
            _progress.State = OtaState.Downloading;
            _progress.Offer = offer;
            _hash.Reset();
            _header = null;
            _slotOffset = 0;
            _staged = 0;
            _progress.Save(_store);
            Report(OtaState.Downloading, OtaError.None);
            return OtaError.None;
        }

        /// <summary>The next bytes wanted: at Offset, up to maxLength (0 when none).</summary>
        public int NextLength(int maxLength)
        {
            if (State != OtaState.Downloading || _progress == null) return 0;
            int left = _progress.Offer.ImageSize - Offset;
            int max = maxLength < MaxChunk ? maxLength : MaxChunk;
            return left < max ? left : max;
        }

        /// <summary>Takes the chunk at offset; anything but the expected offset is refused and changes nothing.</summary>
        public byte Chunk(int offset, byte[] data, int dataOffset, int length)
        {
            if (State == OtaState.Verifying) return OtaError.Busy;          // every byte is in: ask for the status until the check ends
            if (State != OtaState.Downloading || _progress == null) return OtaError.NotDownloading;
            if (offset != Offset || length <= 0 || length > MaxChunk || offset + length > _progress.Offer.ImageSize) return OtaError.BadChunk;
            int reportedBlock = offset / ProgressReportBytes;
            int done = 0;
            while (done < length)
            {
                int block = BlockLength();
                int take = block - _staged < length - done ? block - _staged : length - done;
                System.Array.Copy(data, dataOffset + done, _stage, _staged, take);
                _staged += take;
                done += take;
                if (_staged == block)
                {
                    byte flushed = Flush();
                    if (flushed != OtaError.None) return flushed;
                    if (State != OtaState.Downloading) return OtaError.None;      // the last block: now Verifying
                }
            }

            if (Offset / ProgressReportBytes != reportedBlock) Report(OtaState.Downloading, OtaError.None);
            return OtaError.None;
        }

        /// <summary>The size of the block being staged: StageBytes, the rest of the image, or the block a cut left pending.</summary>
        private int BlockLength()
        {
            if (_progress.PendingLength > 0) return _progress.PendingLength;
            int left = _progress.Offer.ImageSize - _progress.Offset;
            return left < StageBytes ? left : StageBytes;
        }

        /// <summary>
        /// Writes the staged block: hash and parse it (in RAM), persist (offset, hash state before it, its length and
        /// fingerprint), write the slot, then a second record moves the offset past it. After a cut the block is
        /// pending: the slot may hold part or all of it, so the resend must have the same fingerprint, or the
        /// download starts over.
        /// </summary>
        private byte Flush()
        {
            int length = _staged;
            int at = _progress.Offset;
            _hash.Save(_stateBefore, 0);
            // Hashed and parsed first: the fingerprint is taken from the hash state after the block, and the write
            // must know where the signed bytes end (the rest is written erased).
            byte consumed = Consume(_stage, 0, length);
            if (consumed != OtaError.None) return Fail(consumed);
            Fingerprint(at, length);
            if (_progress.PendingLength > 0)
            {
                if (length != _progress.PendingLength || !ConstantTime.AreEqual(_fingerprint, _progress.PendingDigest)) return Fail(OtaError.ResumeMismatch);
            }
            else
            {
                _progress.PendingLength = length;
                System.Array.Copy(_fingerprint, _progress.PendingDigest, 32);
                System.Array.Copy(_stateBefore, _progress.HashState, Sha256.StateLength);
                if (_progress.Save(_store) != StoreResult.Ok) return Fail(OtaError.SlotError);
            }

            int skip = _slotOffset - at;          // already in the slot from before the cut (same bytes: same fingerprint)
            if (skip < 0 || skip > length) return Fail(OtaError.SlotError);
            if (skip < length && WriteSigned(at + skip, _stage, skip, length - skip) != SlotResult.Ok) return Fail(OtaError.SlotError);
            _slotOffset = at + length;
            _progress.Offset = at + length;
            _progress.PendingLength = 0;
            _staged = 0;
            if (_progress.Offset == _progress.Offer.ImageSize) return Finish();
            // The block is in the slot and hashed: a reboot now resumes after it (two records per block).
            _hash.Save(_progress.HashState, 0);
            if (_progress.Save(_store) != StoreResult.Ok) return Fail(OtaError.SlotError);
            return OtaError.None;
        }

        /// <summary>
        /// The block's fingerprint: SHA-256 of the image hash's state after it (which, from the recorded state before
        /// it, commits to the block's hashed bytes) and of its bytes after the hashed part that the slot keeps (the
        /// TLVs, as WriteSigned writes them). Two blocks with the same fingerprint put the same bytes in the slot and
        /// in the hash, at the cost of a few compressions instead of hashing the block a second time.
        /// </summary>
        private void Fingerprint(int at, int length)
        {
            _hash.Save(_stateAfter, 0);
            _blockHash.Reset();
            _blockHash.Update(_stateAfter, 0, 40 + (int)(Bytes.ReadInt64BigEndian(_stateAfter, 32) % 64));  // chaining value, length, the partial block
            int hashedEnd = _header == null ? int.MaxValue : _header.HashedLength;
            int tlvEnd = TlvAreasLength();
            int signedEnd = tlvEnd == int.MaxValue ? int.MaxValue : _header.HeaderSize + _header.ImageSize + tlvEnd;
            int from = hashedEnd > at ? hashedEnd - at : 0;
            int to = signedEnd - at < length ? signedEnd - at : length;
            if (from < length && to > from) _blockHash.Update(_stage, from, to - from);
            _blockHash.Final(_fingerprint, 0);
        }

        /// <summary>After a factory reset (subscribed to FactoryReset.Completed): the reset wiped the failed-image record; forget it in RAM too.</summary>
        public void ForgetFailedImages()
        {
            _failed.Forget();
        }

        public void Abort()
        {
            _verifier.Cancel();
            _progress = null;
            _staged = 0;
            OtaProgress.Clear(_store);
            Report(OtaState.Idle, OtaError.None);
        }

        /// <summary>Feeds received bytes: the header first, then the hash over what it covers, then the TLV trailer.</summary>
        private byte Consume(byte[] data, int offset, int length)
        {
            int position = _progress.Offset;
            if (position < ImageFormat.HeaderLength)
            {
                int headerBytes = ImageFormat.HeaderLength - position < length ? ImageFormat.HeaderLength - position : length;
                System.Array.Copy(data, offset, _progress.Header, position, headerBytes);
            }

            if (_header == null && position + length >= ImageFormat.HeaderLength)
            {
                ImageHeader header;
                byte parsed = ImageHeader.TryParse(_progress.Header, 0, ImageFormat.HeaderLength, _slots.SecondaryCapacity, out header);
                if (parsed != OtaError.None) return parsed;
                if (header.HashedLength + ImageFormat.TlvInfoLength > _progress.Offer.ImageSize) return OtaError.Truncated;
                _header = header;
            }

            int hashedEnd = _header == null ? int.MaxValue : _header.HashedLength;
            int hashCount = position + length <= hashedEnd ? length : (hashedEnd > position ? hashedEnd - position : 0);
            if (hashCount > 0) _hash.Update(data, offset, hashCount);
            int trailerStart = _header == null ? int.MaxValue : _header.HeaderSize + _header.ImageSize;
            int tlvEnd = TlvAreasLength();
            for (int i = trailerStart - position > 0 ? trailerStart - position : 0; i < length; i++)
            {
                int t = position + i - trailerStart;
                if (t == _header.ProtectedTlvSize + ImageFormat.TlvInfoLength) tlvEnd = TlvAreasLength();
                if (t >= tlvEnd) break;                          // imgtool --pad's padding and image trailer: not signed, not kept
                if (t >= OtaProgress.MaxTrailer) return OtaError.BadTlv;
                _progress.Trailer[t] = data[offset + i];
                if (t + 1 > _progress.TrailerLength) _progress.TrailerLength = t + 1;
            }

            return OtaError.None;
        }

        /// <summary>Both TLV areas' length once the unprotected area's info header is in, else int.MaxValue.</summary>
        private int TlvAreasLength()
        {
            int length;
            if (_header == null || TlvIterator.TryMeasure(_progress.Trailer, 0, _progress.TrailerLength, _header.ProtectedTlvSize, out length) != OtaError.None) return int.MaxValue;
            return length;
        }

        /// <summary>
        /// Writes what the signature covers, and the TLV areas, as received; anything after them (a padded image's
        /// erased bytes and MCUboot image trailer, e.g. imgtool --confirm's image_ok) goes to the slot erased, so
        /// no unsigned byte reaches flash and the slot's trailer is only ever set by MarkForTest.
        /// </summary>
        private SlotResult WriteSigned(int offset, byte[] data, int dataOffset, int count)
        {
            int tlvEnd = TlvAreasLength();
            int signedEnd = tlvEnd == int.MaxValue ? int.MaxValue : _header.HeaderSize + _header.ImageSize + tlvEnd;
            if (offset + count <= signedEnd) return _slots.WriteChunk(offset, data, dataOffset, count);
            byte[] chunk = new byte[count];
            int kept = signedEnd > offset ? signedEnd - offset : 0;
            Array.Copy(data, dataOffset, chunk, 0, kept);
            for (int i = kept; i < count; i++) chunk[i] = 0xFF;
            return _slots.WriteChunk(offset, chunk, 0, count);
        }

        /// <summary>Every block is in the slot and hashed: record that (a cut from here restarts the check at boot), then start checking.</summary>
        private byte Finish()
        {
            _progress.State = OtaState.Verifying;
            _hash.Save(_progress.HashState, 0);
            if (_progress.Save(_store) != StoreResult.Ok) return Fail(OtaError.SlotError);
            return BeginVerification();
        }

        /// <summary>Everything before the signature is checked here (bounded: TLV parsing and key hashes); the signature in Poll's steps.</summary>
        private byte BeginVerification()
        {
            _digest = _hash.Final();
            byte begun = _verifier.Begin(_header, _digest, _progress.Trailer, _progress.TrailerLength, TrustKeys, _hardwareId, StoredSecurityCounter(_store), RunningVersion);
            if (begun != OtaError.None) return Conclude(begun);
            Report(OtaState.Verifying, OtaError.None);
            return OtaError.None;
        }

        private byte Conclude(byte verdict)
        {
            if (verdict != OtaError.None)
            {
                // Remembered only when the signature verified: then the signed bytes themselves fail on this lock,
                // whatever the offer says (the hash of what was received, never an offer's claim). A failure before
                // or at the signature (structure, hash, key, a damaged signature) may be a damaged copy of a good
                // image: remembering it would let whoever damaged it block the genuine image.
                if (_verifier.SignatureValid) _failed.Remember(_digest, verdict);
                return Fail(verdict);
            }

            // The signed image is valid; the offer must also have described it truthfully (its counter is stored at confirm).
            if (!ConstantTime.AreEqual(_digest, _progress.Offer.ImageHash) || _verifier.SecurityCounter != _progress.Offer.SecurityCounter) return Fail(OtaError.OfferMismatch);
            if (_slots.MarkForTest() != SlotResult.Ok) return Fail(OtaError.SlotError);
            _progress.State = OtaState.Testing;
            _progress.Save(_store);
            RebootRequested = true;
            Report(OtaState.Testing, OtaError.None);
            return OtaError.None;
        }

        private bool Resume()
        {
            if (_slots.ResumeImage(_progress.Offer.ImageSize, _progress.Header) != SlotResult.Ok) return false;
            _slotOffset = _slots.NextOffset;
            _staged = 0;
            // The slot is at the progress offset (the pending block never reached it), or inside the pending block.
            if (_slotOffset == _progress.Offset) _progress.PendingLength = 0;
            else if (_slotOffset < _progress.Offset || _slotOffset > _progress.Offset + _progress.PendingLength) return false;
            _hash.Restore(_progress.HashState, 0);
            _header = null;
            if (_progress.Offset >= ImageFormat.HeaderLength)
            {
                ImageHeader header;
                if (ImageHeader.TryParse(_progress.Header, 0, ImageFormat.HeaderLength, _slots.SecondaryCapacity, out header) != OtaError.None) return false;
                _header = header;
            }

            return true;
        }

        private static bool SameImage(OtaOffer a, OtaOffer b)
        {
            return a.ImageSize == b.ImageSize && ConstantTime.AreEqual(a.ImageHash, b.ImageHash);
        }

        private byte Refuse(byte error)
        {
            LastError = error;
            if (StatusChanged != null) StatusChanged(State, error, Offset, ImageSize);
            return error;
        }

        private byte Fail(byte error)
        {
            int offset = Offset, size = ImageSize;
            _staged = 0;
            _progress = null;
            OtaProgress.Clear(_store);
            State = OtaState.Failed;
            LastError = error;
            if (StatusChanged != null) StatusChanged(OtaState.Failed, error, offset, size);
            return error;
        }

        private void Report(byte state, byte error)
        {
            State = state;
            LastError = error;
            if (StatusChanged != null) StatusChanged(state, error, Offset, ImageSize);
        }
    }
}
