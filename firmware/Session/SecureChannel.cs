using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;

namespace SmartKey.Firmware.Session
{
    /// <summary>
    /// The AEAD channel of one session, for either end. AES-128-CCM with 8-byte tags; the 13-byte CCM nonce
    /// is direction (0x01 phone→device, 0x02 device→phone) || sequence u32 LE || phone nonce (8). Sequence
    /// numbers start at 1 in each direction and must strictly increase: a replayed, reordered or reflected
    /// message is refused, and a refused message changes nothing (the check comes before any state moves).
    /// <code>
    /// SessionOpen  = 0x12 | binding id | phone nonce 8 | device nonce 8 | ciphertext | tag 8   (sequence 1, phone→device, AAD = first 18 bytes)
    /// SessionData  = 0x13 | sequence u32 LE | ciphertext | tag 8                                  (AAD = first 5 bytes)
    /// </code>
    /// </summary>
    public sealed class SecureChannel
    {
        public const int TagLength = 8;
        public const int OpenHeaderLength = 18;
        public const int DataHeaderLength = 5;
        public const byte PhoneToDevice = 0x01;
        public const byte DeviceToPhone = 0x02;

        private readonly AesCcm _ccm;
        private readonly bool _isDevice;
        private readonly byte[] _keyOut = new byte[SessionKeySchedule.KeyLength];
        private readonly byte[] _keyIn = new byte[SessionKeySchedule.KeyLength];
        private readonly byte[] _phoneNonce = new byte[SessionKeySchedule.NonceLength];
        private readonly byte[] _nonce = new byte[13];
        private readonly IHmacSha256 _hmac;
        private readonly byte[] _okm = new byte[2 * SessionKeySchedule.KeyLength];
        private readonly byte[] _info = new byte[SessionKeySchedule.InfoBufferLength];
        private readonly byte[] _prk = new byte[32];
        private readonly byte[] _input = new byte[SessionKeySchedule.InputLength];
        private uint _sentSequence;
        private uint _receivedSequence;

        /// <summary>A channel whose key schedule runs on the managed HMAC.</summary>
        public SecureChannel(IAesBlock aes, bool isDevice) : this(aes, null, isDevice)
        {
        }

        /// <summary>A channel whose key schedule runs on hmac (the hal's native one); null means managed.</summary>
        public SecureChannel(IAesBlock aes, IHmacSha256 hmac, bool isDevice)
        {
            _ccm = new AesCcm(aes);
            _hmac = ManagedHmacSha256.Or(hmac);
            _isDevice = isDevice;
        }

        public bool IsEstablished { get; private set; }

        public uint SentSequence
        {
            get { return _sentSequence; }
        }

        public uint ReceivedSequence
        {
            get { return _receivedSequence; }
        }

        public void Establish(byte[] bindingKey, byte bindingId, byte[] phoneNonce, byte[] deviceNonce)
        {
            SessionKeySchedule.Derive(_hmac, bindingKey, bindingId, phoneNonce, deviceNonce, _okm, _info, _prk, _input);
            System.Array.Copy(_okm, _isDevice ? SessionKeySchedule.KeyLength : 0, _keyOut, 0, SessionKeySchedule.KeyLength);
            System.Array.Copy(_okm, _isDevice ? 0 : SessionKeySchedule.KeyLength, _keyIn, 0, SessionKeySchedule.KeyLength);
            System.Array.Clear(_okm, 0, _okm.Length);
            System.Array.Copy(phoneNonce, _phoneNonce, SessionKeySchedule.NonceLength);
            _sentSequence = 0;
            _receivedSequence = 0;
            IsEstablished = true;
        }

        public void Close()
        {
            System.Array.Clear(_keyOut, 0, _keyOut.Length);
            System.Array.Clear(_keyIn, 0, _keyIn.Length);
            IsEstablished = false;
        }

        /// <summary>Phone: the SessionOpen message carrying the first command (sequence 1).</summary>
        public byte[] SealOpen(byte bindingId, byte[] deviceNonce, byte[] plaintext, int length)
        {
            byte[] message = new byte[OpenHeaderLength + length + TagLength];
            message[0] = MessageType.SessionOpen;
            message[1] = bindingId;
            System.Array.Copy(_phoneNonce, 0, message, 2, SessionKeySchedule.NonceLength);
            System.Array.Copy(deviceNonce, 0, message, 10, SessionKeySchedule.NonceLength);
            _sentSequence = 1;
            Seal(message, OpenHeaderLength, plaintext, length, _sentSequence);
            return message;
        }

        /// <summary>Device: opens the SessionOpen's first command into plaintext; returns an ErrorCode.</summary>
        public byte OpenFirst(byte[] message, int length, byte[] plaintext, out int plaintextLength)
        {
            plaintextLength = 0;
            if (length < OpenHeaderLength + TagLength) return ErrorCode.MalformedFrame;
            return Open(message, length, OpenHeaderLength, 1, plaintext, out plaintextLength);
        }

        /// <summary>A SessionData message with the next outbound sequence number.</summary>
        public byte[] SealData(byte[] plaintext, int length)
        {
            byte[] message = new byte[DataHeaderLength + length + TagLength];
            message[0] = MessageType.SessionData;
            uint sequence = _sentSequence + 1;
            Bytes.WriteUInt32LittleEndian(sequence, message, 1);
            Seal(message, DataHeaderLength, plaintext, length, sequence);
            _sentSequence = sequence;
            return message;
        }

        /// <summary>Opens a SessionData message: Replay for an old sequence, AuthenticationFailed for a bad tag.</summary>
        public byte OpenData(byte[] message, int length, byte[] plaintext, out int plaintextLength)
        {
            plaintextLength = 0;
            if (!IsEstablished) return ErrorCode.NoSession;
            if (length < DataHeaderLength + TagLength || message[0] != MessageType.SessionData) return ErrorCode.MalformedFrame;
            uint sequence = Bytes.ReadUInt32LittleEndian(message, 1);
            if (sequence <= _receivedSequence) return ErrorCode.Replay;
            return Open(message, length, DataHeaderLength, sequence, plaintext, out plaintextLength);
        }

        private void Seal(byte[] message, int headerLength, byte[] plaintext, int length, uint sequence)
        {
            SetNonce(_isDevice ? DeviceToPhone : PhoneToDevice, sequence);
            _ccm.SetKey(_keyOut);
            _ccm.Encrypt(_nonce, message, 0, headerLength, plaintext, 0, length, message, headerLength, message, headerLength + length, TagLength);
        }

        private byte Open(byte[] message, int length, int headerLength, uint sequence, byte[] plaintext, out int plaintextLength)
        {
            plaintextLength = 0;
            int cipherLength = length - headerLength - TagLength;
            if (plaintext.Length < cipherLength) return ErrorCode.MessageTooLarge;
            SetNonce(_isDevice ? PhoneToDevice : DeviceToPhone, sequence);
            _ccm.SetKey(_keyIn);
            if (!_ccm.Decrypt(_nonce, message, 0, headerLength, message, headerLength, cipherLength, message, headerLength + cipherLength, TagLength, plaintext, 0))
            {
                return ErrorCode.AuthenticationFailed;
            }

            _receivedSequence = sequence;
            plaintextLength = cipherLength;
            return ErrorCode.Ok;
        }

        private void SetNonce(byte direction, uint sequence)
        {
            _nonce[0] = direction;
            Bytes.WriteUInt32LittleEndian(sequence, _nonce, 1);
            System.Array.Copy(_phoneNonce, 0, _nonce, 5, SessionKeySchedule.NonceLength);
        }
    }
}
