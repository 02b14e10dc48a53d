using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Storage;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// The download's state, persisted before each staged block is written to the slot (write-ahead), so a
    /// disconnect or a reboot resumes where it was: format u8 = 3 | state u8 (downloading; verifying once every
    /// block is in the slot, offset = image size and the hash state final; testing once marked) | offer length u8 |
    /// offer | offset u32 (bytes hashed) | SHA-256 state (104) at offset | header 32 | trailer length u16 | trailer
    /// bytes received so far | pending length u16 | fingerprint of the pending block (32; UpdateAgent.Fingerprint):
    /// the bytes about to be written at offset, so a resend after a cut is checked against what may already be in the slot.
    /// </summary>
    public sealed class OtaProgress
    {
        public const int MaxTrailer = 512;
        private const byte Format = 3;

        public byte State;
        public OtaOffer Offer;
        public int Offset;
        public byte[] HashState = new byte[Sha256.StateLength];
        public byte[] Header = new byte[ImageFormat.HeaderLength];
        public byte[] Trailer = new byte[MaxTrailer];
        public int TrailerLength;
        public int PendingLength;
        public byte[] PendingDigest = new byte[32];

        public StoreResult Save(RecordStore store)
        {
            byte[] offer = Offer.Encode();
            WireWriter w = new WireWriter(3 + offer.Length + 4 + Sha256.StateLength + ImageFormat.HeaderLength + 2 + TrailerLength + 2 + 32);
            w.Byte(Format).Byte(State).Byte(offer.Length).Bytes(offer).UInt32((uint)Offset).Bytes(HashState).Bytes(Header).UInt16(TrailerLength).Bytes(Trailer, 0, TrailerLength)
                .UInt16(PendingLength).Bytes(PendingDigest);
            byte[] record = w.ToArray();
            return store.Write(RecordType.OtaProgress, 0, record, 0, record.Length);
        }

        public static OtaProgress Load(RecordStore store)
        {
            byte[] buffer = new byte[RecordStore.MaxPayloadLength];
            int length;
            if (store.Read(RecordType.OtaProgress, 0, buffer, out length) != StoreResult.Ok) return null;
            WireReader r = new WireReader(buffer, 0, length);
            byte format, state, offerLength;
            uint offset;
            int trailerLength, pendingLength;
            byte[] offer, hash, header, trailer, pendingDigest;
            if (!r.TryByte(out format) || format != Format || !r.TryByte(out state) || !r.TryByte(out offerLength) || !r.TryBytes(offerLength, out offer)
                || !r.TryUInt32(out offset) || !r.TryBytes(Sha256.StateLength, out hash) || !r.TryBytes(ImageFormat.HeaderLength, out header)
                || !r.TryUInt16(out trailerLength) || trailerLength > MaxTrailer || !r.TryBytes(trailerLength, out trailer)
                || !r.TryUInt16(out pendingLength) || pendingLength > UpdateAgent.StageBytes || !r.TryBytes(32, out pendingDigest) || !r.AtEnd)
            {
                return null;
            }

            OtaProgress p = new OtaProgress();
            p.State = state;
            p.Offer = OtaOffer.Decode(offer, 0, offer.Length);
            if (p.Offer == null || offset > (uint)p.Offer.ImageSize) return null;
            p.Offset = (int)offset;
            p.HashState = hash;
            p.Header = header;
            System.Array.Copy(trailer, p.Trailer, trailerLength);
            p.TrailerLength = trailerLength;
            p.PendingLength = pendingLength;
            p.PendingDigest = pendingDigest;
            return p;
        }

        public static void Clear(RecordStore store)
        {
            if (store.Contains(RecordType.OtaProgress, 0)) store.Delete(RecordType.OtaProgress, 0);
        }
    }
}
