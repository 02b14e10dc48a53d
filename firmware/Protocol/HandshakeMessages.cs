namespace SmartKey.Firmware.Protocol
{
    /// <summary>
    /// Codecs of the plaintext messages (pairing, session start, errors), used by both the device and the
    /// phone library. Decoders are strict: exact lengths, nothing left over.
    /// <code>
    /// PairRequest   = 0x01 | version 1 | id length u8 (1..32) | id | shareP 65
    /// PairChallenge = 0x02 | shareV 65 | confirmV 32
    /// PairConfirm   = 0x03 | confirmP 32
    /// PairAccepted  = 0x04 | binding id u8 | tag 16
    /// PairWorking   = 0x05 | steps done u8 | steps in all u8   (keep-alive while the lock computes PairChallenge)
    /// SessionHello  = 0x10 | binding id u8 | phone nonce 8
    /// SessionNonce  = 0x11 | device nonce 8
    /// Error         = 0x7F | code u8 | retry after s u16 | device nonce 8
    /// </code>
    /// </summary>
    public static class HandshakeMessages
    {
        public const byte PairingVersion = 1;
        public const int PointLength = 65;
        public const int MacLength = 32;
        public const int MaxIdLength = 32;
        public const int NonceLength = 8;

        public static byte[] PairRequest(byte[] idProver, byte[] shareP)
        {
            return new WireWriter(4 + idProver.Length + PointLength).Byte(MessageType.PairRequest).Byte(PairingVersion).Byte(idProver.Length).Bytes(idProver).Bytes(shareP).ToArray();
        }

        public static bool TryPairRequest(byte[] m, int length, out byte[] idProver, out byte[] shareP)
        {
            idProver = null;
            shareP = null;
            WireReader r = new WireReader(m, 1, length - 1);
            byte version, idLength;
            return length > 0 && m[0] == MessageType.PairRequest
                && r.TryByte(out version) && version == PairingVersion
                && r.TryByte(out idLength) && idLength >= 1 && idLength <= MaxIdLength
                && r.TryBytes(idLength, out idProver) && r.TryBytes(PointLength, out shareP) && r.AtEnd;
        }

        public static byte[] PairChallenge(byte[] shareV, byte[] confirmV)
        {
            return new WireWriter(1 + PointLength + MacLength).Byte(MessageType.PairChallenge).Bytes(shareV).Bytes(confirmV).ToArray();
        }

        public static bool TryPairChallenge(byte[] m, int length, out byte[] shareV, out byte[] confirmV)
        {
            shareV = null;
            confirmV = null;
            WireReader r = new WireReader(m, 1, length - 1);
            return length > 0 && m[0] == MessageType.PairChallenge && r.TryBytes(PointLength, out shareV) && r.TryBytes(MacLength, out confirmV) && r.AtEnd;
        }

        public static byte[] PairConfirm(byte[] confirmP)
        {
            return new WireWriter(1 + MacLength).Byte(MessageType.PairConfirm).Bytes(confirmP).ToArray();
        }

        public static bool TryPairConfirm(byte[] m, int length, out byte[] confirmP)
        {
            confirmP = null;
            WireReader r = new WireReader(m, 1, length - 1);
            return length > 0 && m[0] == MessageType.PairConfirm && r.TryBytes(MacLength, out confirmP) && r.AtEnd;
        }

        public static byte[] PairAccepted(byte bindingId, byte[] tag)
        {
            return new WireWriter(18).Byte(MessageType.PairAccepted).Byte(bindingId).Bytes(tag, 0, 16).ToArray();
        }

        public static bool TryPairAccepted(byte[] m, int length, out byte bindingId, out byte[] tag)
        {
            tag = null;
            bindingId = 0;
            WireReader r = new WireReader(m, 1, length - 1);
            return length > 0 && m[0] == MessageType.PairAccepted && r.TryByte(out bindingId) && r.TryBytes(16, out tag) && r.AtEnd;
        }

        public static byte[] PairWorking(int done, int total)
        {
            return new WireWriter(3).Byte(MessageType.PairWorking).Byte((byte)(done > 255 ? 255 : done)).Byte((byte)(total > 255 ? 255 : total)).ToArray();
        }

        public static bool TryPairWorking(byte[] m, int length, out byte done, out byte total)
        {
            done = 0;
            total = 0;
            WireReader r = new WireReader(m, 1, length - 1);
            return length > 0 && m[0] == MessageType.PairWorking && r.TryByte(out done) && r.TryByte(out total) && r.AtEnd;
        }

        public static byte[] SessionHello(byte bindingId, byte[] phoneNonce)
        {
            return new WireWriter(2 + NonceLength).Byte(MessageType.SessionHello).Byte(bindingId).Bytes(phoneNonce).ToArray();
        }

        public static bool TrySessionHello(byte[] m, int length, out byte bindingId, out byte[] phoneNonce)
        {
            bindingId = 0;
            phoneNonce = null;
            WireReader r = new WireReader(m, 1, length - 1);
            return length > 0 && m[0] == MessageType.SessionHello && r.TryByte(out bindingId) && r.TryBytes(NonceLength, out phoneNonce) && r.AtEnd;
        }

        public static byte[] SessionNonce(byte[] deviceNonce)
        {
            return new WireWriter(1 + NonceLength).Byte(MessageType.SessionNonce).Bytes(deviceNonce).ToArray();
        }

        public static bool TrySessionNonce(byte[] m, int length, out byte[] deviceNonce)
        {
            deviceNonce = null;
            WireReader r = new WireReader(m, 1, length - 1);
            return length > 0 && m[0] == MessageType.SessionNonce && r.TryBytes(NonceLength, out deviceNonce) && r.AtEnd;
        }

        public static byte[] Error(byte code, int retryAfterSeconds, byte[] deviceNonce)
        {
            return new WireWriter(4 + NonceLength).Byte(MessageType.Error).Byte(code).UInt16(retryAfterSeconds > 65535 ? 65535 : retryAfterSeconds).Bytes(deviceNonce).ToArray();
        }

        public static bool TryError(byte[] m, int length, out byte code, out int retryAfterSeconds, out byte[] deviceNonce)
        {
            code = 0;
            retryAfterSeconds = 0;
            deviceNonce = null;
            WireReader r = new WireReader(m, 1, length - 1);
            return length > 0 && m[0] == MessageType.Error && r.TryByte(out code) && r.TryUInt16(out retryAfterSeconds) && r.TryBytes(NonceLength, out deviceNonce) && r.AtEnd;
        }
    }
}
