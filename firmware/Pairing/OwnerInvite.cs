using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>
    /// A one-time code for pairing one more owner, drawn by the lock when an owner asks (AllowOwnerPairing)
    /// and returned only to that owner's session. While it is open (WindowMs, until one pairing succeeds)
    /// the lock's SPAKE2+ verifier is derived from it instead of the label's code; the label's code pairs
    /// only a lock with no owner. The code is 128 random bits, so no slow password hash is needed:
    /// w0s || w1s = HKDF-SHA256(salt = "SmartKey owner invite v1", ikm = code, info = serial, 80 bytes),
    /// w0 = w0s mod n, w1 = w1s mod n, L = w1·G (the same split as the label's, docs/protocol.md §4).
    /// The invite belongs to the owner who opened it (Opener): PairingWindow closes it once that owner is revoked.
    /// </summary>
    public sealed class OwnerInvite
    {
        public const int CodeLength = 16;
        public const int WindowMs = 120000;
        private static readonly byte[] Salt = SessionKeySchedule.Ascii("SmartKey owner invite v1");

        private readonly IEntropySource _entropy;
        private readonly IMonotonicClock _clock;
        private long _untilMs = -1;

        public OwnerInvite(IEntropySource entropy, IMonotonicClock clock)
        {
            _entropy = entropy;
            _clock = clock;
        }

        public byte[] W0 { get; private set; }

        public byte[] L { get; private set; }

        /// <summary>The binding id of the owner who opened the invite (0 when none is open).</summary>
        public byte Opener { get; private set; }

        public bool IsOpen
        {
            get { return _untilMs >= 0 && _clock.UptimeMilliseconds < _untilMs && W0 != null; }
        }

        /// <summary>Draws a fresh code for this lock (serial) and opens the window for the owner opener; a previous code stops working.</summary>
        public byte[] Open(string serial, byte opener)
        {
            byte[] code = new byte[CodeLength];
            _entropy.Fill(code, 0, CodeLength);
            byte[] w0 = new byte[32], w1 = new byte[32];
            Derive(code, serial, w0, w1);
            L = new Spake2PlusProver(w0, w1).ComputeL();
            Bytes.Wipe(w1);
            W0 = w0;
            _untilMs = _clock.UptimeMilliseconds + WindowMs;
            Opener = opener;
            return code;
        }

        public void Close()
        {
            _untilMs = -1;
            if (W0 != null) Bytes.Wipe(W0);
            W0 = null;
            L = null;
            Opener = 0;
        }

        /// <summary>(w0, w1) of a one-time code, for the lock here and for the new owner's phone.</summary>
        public static void Derive(byte[] code, string serial, byte[] w0, byte[] w1)
        {
            byte[] okm = Hkdf.DeriveKey(Salt, code, SessionKeySchedule.Ascii(serial), 80);
            Scalar scalar = new Scalar();
            uint[] limbs = new uint[8];
            scalar.ReduceWide(okm, 0, 40, limbs);
            Scalar.Encode(limbs, w0, 0);
            scalar.ReduceWide(okm, 40, 40, limbs);
            Scalar.Encode(limbs, w1, 0);
            Bytes.Wipe(okm);
        }
    }
}
