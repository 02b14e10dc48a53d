using SmartKey.Firmware.Commands;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Reset;
using SmartKey.Firmware.Settings;
using SmartKey.Hal;

namespace SmartKey.Firmware.Session
{
    /// <summary>
    /// The device's protocol state for the connected phone: pairing, then at most one session. A session
    /// opens with SessionOpen keyed on a device nonce the phone got from the advertisement (one round trip
    /// for an unlock) or from SessionNonce/Error (one more). Each device nonce opens one session only, and
    /// only while fresh. Commands expire: one must follow the previous exchange within CommandExpiryMs, and a
    /// session lasts at most SessionLifetimeMs. The session ends on disconnect, on EndSession, and at once
    /// when its binding is revoked.
    /// </summary>
    public sealed class DeviceSessionManager
    {
        public const int HelloNonceLifetimeMs = 10000;
        public const int CommandExpiryMs = 15000;
        public const int SessionLifetimeMs = 180000;
        /// <summary>A central that has neither opened a session nor is pairing is dropped after this (it holds the only connection).</summary>
        public const int SessionOpenTimeoutMs = 5000;
        /// <summary>A hang-up waits this long so the last answer reaches the phone first.</summary>
        public const int HangUpDelayMs = 200;

        private readonly BleLink _link;
        private readonly PairingService _pairing;
        private readonly CommandProcessor _commands;
        private readonly BindingStore _bindings;
        private readonly AdvertisedNonce _advertisedNonce;
        private readonly ActiveSettings _settings;
        private readonly LogRecorder _recorder;
        private readonly FailedAttempts _failures;
        private readonly FactoryReset _reset;
        private readonly PowerManager _power;
        private readonly IBlePeripheral _ble;
        private readonly IEntropySource _entropy;
        private readonly IMonotonicClock _clock;
        private readonly SecureChannel _channel;
        private readonly byte[] _plaintext;
        private readonly AuthBackoff _backoff = new AuthBackoff();
        private readonly byte[] _decoyKey = new byte[Binding.KeyLength];
        private readonly byte[] _phoneNonce = new byte[SessionKeySchedule.NonceLength];
        private readonly byte[] _deviceNonce = new byte[SessionKeySchedule.NonceLength];
        private byte[] _issuedNonce;
        private long _issuedNonceAtMs;
        private Binding _binding;
        private long _sessionStartMs;
        private long _lastExchangeMs;
        private byte _pendingCommand;
        private byte _pendingRequest;
        private bool _pending;
        private long _unauthenticatedSinceMs = -1;
        private long _hangUpAtMs = -1;

        public DeviceSessionManager(BleLink link, PairingService pairing, CommandProcessor commands, BindingStore bindings, AdvertisedNonce advertisedNonce, ActiveSettings settings,
            LogRecorder recorder, FailedAttempts failures, FactoryReset reset, PowerManager power, IBlePeripheral ble, IAesBlock aes, IHmacSha256 hmac, IEntropySource entropy, IMonotonicClock clock, int maxMessage)
        {
            _link = link;
            _pairing = pairing;
            _commands = commands;
            _bindings = bindings;
            _advertisedNonce = advertisedNonce;
            _settings = settings;
            _recorder = recorder;
            _failures = failures;
            _reset = reset;
            _power = power;
            _ble = ble;
            _entropy = entropy;
            _clock = clock;
            _channel = new SecureChannel(aes, hmac, true);
            _plaintext = new byte[maxMessage];
            ble.ConnectionChanged += OnConnectionChanged;
        }

        /// <summary>True while a pairing is being computed in steps (see PairingService.Poll).</summary>
        public bool PairingComputing
        {
            get { return _pairing.IsComputing; }
        }

        /// <summary>Raised just before the lock hangs up on a central that neither opened a session nor paired in time.</summary>
        public event SilentCentralHandler SilentCentralDropped;

        public bool HasSession
        {
            get { return _binding != null; }
        }

        public byte SessionBindingId
        {
            get { return _binding == null ? (byte)0 : _binding.Id; }
        }

        public AuthBackoff Backoff
        {
            get { return _backoff; }
        }

        public void Detach()
        {
            _ble.ConnectionChanged -= OnConnectionChanged;
        }

        public void Poll()
        {
            while (true)
            {
                int length;
                byte linkError;
                byte[] message = _link.Receive(out length, out linkError);
                if (message == null)
                {
                    if (linkError == ErrorCode.Ok) break;
                    Error(linkError, linkError == ErrorCode.Busy ? 1 : 0);
                    continue;
                }

                _power.NoteActivity();
                Handle(message, length);
            }

            // One step of a pairing in progress per turn of the main loop (the SPAKE2+ work never runs in the request path).
            byte[] pairing = _pairing.Poll();
            if (pairing != null) _link.Send(pairing);

            long now = _clock.UptimeMilliseconds;
            _advertisedNonce.Rotate(_ble);
            if (_binding != null && (now - _sessionStartMs > SessionLifetimeMs || (!_pending && now - _lastExchangeMs > CommandExpiryMs)))
            {
                Close();                                  // the session's lifetime is over, or it went idle: hang up
                _hangUpAtMs = now;
            }

            if (_ble.IsConnected && _binding == null && _unauthenticatedSinceMs >= 0 && !_pairing.IsPending(now)
                && now - _unauthenticatedSinceMs > SessionOpenTimeoutMs && _hangUpAtMs < 0)
            {
                _hangUpAtMs = now;                        // a silent central must not hold the lock's only connection
                if (SilentCentralDropped != null) SilentCentralDropped();
            }

            if (_hangUpAtMs >= 0 && now >= _hangUpAtMs)
            {
                _hangUpAtMs = -1;
                if (_ble.IsConnected) _ble.Disconnect();
            }
        }

        /// <summary>A lock movement finished (subscribed to LockController.Completed): answer the command that started it.</summary>
        public void OnLockCompleted(byte action, byte trigger, byte bindingId, LockResult result)
        {
            if (!_pending || _binding == null || trigger != LogTrigger.Phone || bindingId != _binding.Id) return;
            _pending = false;
            SendData(_commands.LockResponse(_pendingCommand, _pendingRequest, result));
        }

        public void OnBindingRevoked(byte id)
        {
            if (_binding != null && _binding.Id == id)
            {
                Close();
                _ble.Disconnect();
            }
        }

        private void Handle(byte[] m, int length)
        {
            switch (m[0])
            {
                case MessageType.PairRequest:
                    Close();
                    AbandonPairing();
                    _link.Send(_pairing.HandleRequest(m, length, FreshNonce()));
                    if (_pairing.ShouldHangUp) _hangUpAtMs = _clock.UptimeMilliseconds + HangUpDelayMs;   // invite attempts are per connection
                    break;
                case MessageType.PairConfirm:
                    byte result;
                    byte[] reply = _pairing.HandleConfirm(m, length, FreshNonce(), out result);
                    _unauthenticatedSinceMs = _clock.UptimeMilliseconds;      // a new owner opens its first session next
                    _link.Send(reply);
                    break;
                case MessageType.SessionHello:
                    Hello(m, length);
                    break;
                case MessageType.SessionOpen:
                    Open(m, length);
                    break;
                case MessageType.SessionData:
                    Data(m, length);
                    break;
                default:
                    Error(ErrorCode.UnknownMessage, 0);
                    break;
            }
        }

        private void Hello(byte[] m, int length)
        {
            byte id;
            byte[] phoneNonce;
            if (!HandshakeMessages.TrySessionHello(m, length, out id, out phoneNonce))
            {
                Error(ErrorCode.MalformedFrame, 0);
                return;
            }

            if (_backoff.RemainingMs(id, _clock.UptimeMilliseconds) > 0)
            {
                Error(ErrorCode.AuthenticationBackoff, 1);
                return;
            }

            _link.Send(HandshakeMessages.SessionNonce(FreshNonce()));
        }

        private void Open(byte[] m, int length)
        {
            long now = _clock.UptimeMilliseconds;
            if (length < SecureChannel.OpenHeaderLength + SecureChannel.TagLength || length - SecureChannel.OpenHeaderLength - SecureChannel.TagLength < 2)
            {
                Error(ErrorCode.MalformedFrame, 0);
                return;
            }

            byte id = m[1];
            if (_backoff.RemainingMs(id, now) > 0)
            {
                Error(ErrorCode.AuthenticationBackoff, 1);
                return;
            }

            byte[] phoneNonce = _phoneNonce;
            byte[] deviceNonce = _deviceNonce;
            System.Array.Copy(m, 2, phoneNonce, 0, SessionKeySchedule.NonceLength);
            System.Array.Copy(m, 10, deviceNonce, 0, SessionKeySchedule.NonceLength);
            AdvertisedNonce nonce = _advertisedNonce;
            bool advertised = nonce.Accepts(deviceNonce);
            bool issued = _issuedNonce != null && ConstantTime.AreEqual(deviceNonce, _issuedNonce) && now - _issuedNonceAtMs <= HelloNonceLifetimeMs;
            if (!advertised && !issued)
            {
                Error(ErrorCode.StaleNonce, 0);
                return;
            }

            // Strangers get one answer whatever the id (free, revoked or in use) after the same work: an
            // unusable id is checked against a throwaway key. Only the owner's log tells the cases apart.
            Binding binding = _bindings.Find(id);
            bool usable = binding != null && !binding.Revoked;
            if (!usable) _entropy.Fill(_decoyKey, 0, _decoyKey.Length);
            Close();
            _channel.Establish(usable ? binding.Key : _decoyKey, id, phoneNonce, deviceNonce);
            int plaintextLength;
            byte opened = _channel.OpenFirst(m, length, _plaintext, out plaintextLength);
            if (!usable || opened != ErrorCode.Ok)
            {
                _channel.Close();
                AuthenticationFailed(id, binding == null ? ErrorCode.UnknownBinding : binding.Revoked ? ErrorCode.BindingRevoked : ErrorCode.AuthenticationFailed);
                return;
            }

            // The nonce is spent: a replay of this message meets a new one.
            if (advertised) nonce.Spend();
            else _issuedNonce = null;
            _backoff.Succeeded(id);
            _failures.CloseIfOver();
            _binding = binding;
            _sessionStartMs = now;
            _lastExchangeMs = now;
            Execute(plaintextLength);
        }

        private void Data(byte[] m, int length)
        {
            long now = _clock.UptimeMilliseconds;
            if (_binding == null)
            {
                Error(ErrorCode.NoSession, 0);
                return;
            }

            int plaintextLength;
            byte opened = _channel.OpenData(m, length, _plaintext, out plaintextLength);
            if (opened != ErrorCode.Ok)
            {
                if (opened == ErrorCode.AuthenticationFailed)
                {
                    _backoff.Failed(_binding.Id, now);
                    _failures.Failed(LogAction.AuthenticationFailed, _binding.Id, ErrorCode.AuthenticationFailed);
                }

                Error(opened, 0);
                return;
            }

            if (now - _lastExchangeMs > CommandExpiryMs || now - _sessionStartMs > SessionLifetimeMs)
            {
                SendData(CommandResponse.Status(_plaintext[0], plaintextLength > 1 ? _plaintext[1] : (byte)0, ErrorCode.CommandExpired));
                Close();
                return;
            }

            _lastExchangeMs = now;
            Execute(plaintextLength);
        }

        private void Execute(int plaintextLength)
        {
            if (_pending)
            {
                SendData(CommandResponse.Status(_plaintext[0], plaintextLength > 1 ? _plaintext[1] : (byte)0, ErrorCode.Busy));
                return;
            }

            Binding caller = _binding;
            CommandOutcome outcome = _commands.Execute(caller, _plaintext, plaintextLength);
            if (outcome.Response == null)
            {
                _pending = true;
                _pendingCommand = _plaintext[0];
                _pendingRequest = _plaintext[1];
                return;
            }

            SendData(outcome.Response);
            if (outcome.RevokedBinding != 0) OnBindingRevoked(outcome.RevokedBinding);
            if (outcome.EndSession && _binding != null)
            {
                Close();
                _ble.Disconnect();
            }

            if (outcome.FactoryResetAfterResponse)
            {
                _reset.Run();
            }
        }

        /// <summary>Logs the true reason (logCode) for the owner; the phone only ever hears AuthenticationFailed.</summary>
        private void AuthenticationFailed(byte bindingId, byte logCode)
        {
            long now = _clock.UptimeMilliseconds;
            _backoff.Failed(bindingId, now);
            _failures.Failed(LogAction.AuthenticationFailed, bindingId, logCode);
            Error(ErrorCode.AuthenticationFailed, _backoff.RemainingMs(bindingId, now) > 0 ? 1 : 0);
            if (_backoff.ShouldHangUp) _hangUpAtMs = now + HangUpDelayMs;      // the source tries again only by reconnecting
        }

        private void SendData(byte[] plaintext)
        {
            if (!_channel.IsEstablished) return;
            _link.Send(_channel.SealData(plaintext, plaintext.Length));
            _lastExchangeMs = _clock.UptimeMilliseconds;
        }

        private void Error(byte code, int retryAfterSeconds)
        {
            _link.Send(HandshakeMessages.Error(code, retryAfterSeconds, FreshNonce()));
        }

        /// <summary>Issues a new device nonce for a SessionOpen in the next HelloNonceLifetimeMs (replaces the previous one).</summary>
        private byte[] FreshNonce()
        {
            _issuedNonce = new byte[SessionKeySchedule.NonceLength];
            _entropy.Fill(_issuedNonce, 0, _issuedNonce.Length);
            _issuedNonceAtMs = _clock.UptimeMilliseconds;
            return _issuedNonce;
        }

        private void Close()
        {
            if (_binding != null) _unauthenticatedSinceMs = _clock.UptimeMilliseconds;
            _binding = null;
            _pending = false;
            _channel.Close();
        }

        private void OnConnectionChanged(object sender, bool connected)
        {
            Close();
            AbandonPairing();
            _issuedNonce = null;
            _backoff.NewConnection();
            _pairing.NewConnection();
            _hangUpAtMs = -1;
            _unauthenticatedSinceMs = connected ? _clock.UptimeMilliseconds : -1;
        }

        /// <summary>A started pairing that was never confirmed is a failed guess as far as the log is concerned.</summary>
        private void AbandonPairing()
        {
            if (_pairing.Cancel()) _recorder.Record(LogAction.PairingFailed, LogTrigger.Phone, LogTrigger.NoBinding, ErrorCode.WrongSetupCode);
        }
    }
}
