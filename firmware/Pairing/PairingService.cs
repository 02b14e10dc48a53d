using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>
    /// The device's side of pairing (SPAKE2+ verifier: the provisioned w0 and L of the label's code while the
    /// lock has no owner; for another owner, those of the one-time code an owner asked for: PairingWindow).
    /// PairRequest → PairChallenge (shareV, confirmV); PairConfirm → PairAccepted (new owner binding) or
    /// WrongSetupCode. Attempts are counted and backed off by PairingLockout.
    /// Transcript: context "SmartKey pairing v1", idProver from the phone, idVerifier = the serial number.
    /// </summary>
    public sealed class PairingService
    {
        public const int ConfirmTimeoutMs = 30000;
        public static readonly byte[] Context = SessionKeySchedule.Ascii("SmartKey pairing v1");

        private readonly BindingStore _bindings;
        private readonly PairingWindow _window;
        private readonly ProvisionedIdentity _identity;
        private readonly IEntropySource _entropy;
        private readonly IRealTimeClock _rtc;
        private readonly IMonotonicClock _clock;
        private Spake2PlusKeySchedule _pending;
        private long _pendingSinceMs;

        public PairingService(PairingLockout lockout, BindingStore bindings, PairingWindow window, ProvisionedIdentity identity, IEntropySource entropy, IRealTimeClock rtc, IMonotonicClock clock)
        {
            Lockout = lockout;
            _bindings = bindings;
            _window = window;
            _identity = identity;
            _entropy = entropy;
            _rtc = rtc;
            _clock = clock;
        }

        public PairingLockout Lockout { get; private set; }

        /// <summary>Set after a PairConfirm that created a binding: its id (0 otherwise).</summary>
        public byte LastPairedId { get; private set; }

        /// <summary>A PairRequest was answered and its PairConfirm may still come.</summary>
        public bool IsPending(long nowMs)
        {
            return _pending != null && nowMs - _pendingSinceMs <= ConfirmTimeoutMs;
        }

        /// <summary>Drops a started pairing; true when one was pending (a phone that found confirmV wrong just hangs up).</summary>
        public bool Cancel()
        {
            bool wasPending = _pending != null;
            if (_pending != null) _pending.WipeExceptSharedKey();
            _pending = null;
            return wasPending;
        }

        /// <summary>Handles PairRequest; returns the reply, or an Error message with retry-after.</summary>
        public byte[] HandleRequest(byte[] message, int length, byte[] errorNonce)
        {
            DeviceIdentity identity = _identity.Current;
            bool allowed = _window.IsOpen;
            byte[] idProver, shareP;
            if (!HandshakeMessages.TryPairRequest(message, length, out idProver, out shareP)) return HandshakeMessages.Error(ErrorCode.MalformedFrame, 0, errorNonce);
            if (identity == null) return HandshakeMessages.Error(ErrorCode.NotProvisioned, 0, errorNonce);
            if (!allowed) return HandshakeMessages.Error(ErrorCode.PairingNotAllowed, 0, errorNonce);
            long now = _rtc.UnixSeconds;
            if (Lockout.IsCapped) return HandshakeMessages.Error(ErrorCode.PairingLocked, 0, errorNonce);
            long wait = Lockout.WaitSeconds(now);
            if (wait > 0) return HandshakeMessages.Error(ErrorCode.PairingBackoff, (int)wait, errorNonce);

            Spake2PlusVerifier verifier = new Spake2PlusVerifier(_window.VerifierW0, _window.VerifierL);
            if (!verifier.IsValid) return HandshakeMessages.Error(ErrorCode.NotProvisioned, 0, errorNonce);
            byte[] y = new byte[32];
            do
            {
                _entropy.Fill(y, 0, 32);
            }
            while (!verifier.Start(y));
            Bytes.Wipe(y);

            byte[] shareV = verifier.ShareV;
            byte[] idVerifier = SessionKeySchedule.Ascii(identity.Serial);
            Spake2PlusKeySchedule keys = verifier.Finish(shareP, Context, idProver, idVerifier);
            if (keys == null) return HandshakeMessages.Error(ErrorCode.InvalidShare, 0, errorNonce);

            // Counted now: the prover can check its single guess against confirmV without confirming.
            Lockout.CountAttempt(now);
            _pending = keys;
            _pendingSinceMs = _clock.UptimeMilliseconds;
            return HandshakeMessages.PairChallenge(shareV, keys.ConfirmV);
        }

        /// <summary>Handles PairConfirm: creates the owner binding when the confirmation matches; the pairing window learns the result.</summary>
        public byte[] HandleConfirm(byte[] message, int length, byte[] errorNonce, out byte result)
        {
            byte[] reply = Confirm(message, length, errorNonce, out result);
            _window.OnPairingFinished(result, LastPairedId);
            return reply;
        }

        private byte[] Confirm(byte[] message, int length, byte[] errorNonce, out byte result)
        {
            LastPairedId = 0;
            byte[] confirmP;
            if (!HandshakeMessages.TryPairConfirm(message, length, out confirmP))
            {
                result = ErrorCode.MalformedFrame;
                return HandshakeMessages.Error(result, 0, errorNonce);
            }

            if (_pending == null || _clock.UptimeMilliseconds - _pendingSinceMs > ConfirmTimeoutMs)
            {
                Cancel();
                result = ErrorCode.NoPairingInProgress;
                return HandshakeMessages.Error(result, 0, errorNonce);
            }

            Spake2PlusKeySchedule keys = _pending;
            _pending = null;
            if (!ConstantTime.AreEqual(keys.ConfirmP, confirmP))
            {
                keys.WipeExceptSharedKey();
                Bytes.Wipe(keys.SharedKey);
                result = ErrorCode.WrongSetupCode;
                return HandshakeMessages.Error(result, (int)Lockout.WaitSeconds(_rtc.UnixSeconds), errorNonce);
            }

            Binding owner = new Binding();
            owner.Role = BindingRole.Owner;
            owner.Key = SessionKeySchedule.OwnerBindingKey(keys.SharedKey);
            keys.WipeExceptSharedKey();
            Bytes.Wipe(keys.SharedKey);
            KeyResult added = _bindings.Add(owner);
            if (added != KeyResult.Ok)
            {
                result = added == KeyResult.Full ? ErrorCode.KeysFull : ErrorCode.StorageError;
                return HandshakeMessages.Error(result, 0, errorNonce);
            }

            Lockout.Clear();
            LastPairedId = owner.Id;
            result = ErrorCode.Ok;
            return HandshakeMessages.PairAccepted(owner.Id, SessionKeySchedule.PairedTag(owner.Key, owner.Id));
        }
    }
}
