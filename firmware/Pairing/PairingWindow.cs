using SmartKey.Firmware.Button;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>
    /// When a phone may pair: always while the lock has no owner; for another owner only while an owner has
    /// opened the window (AllowOwnerPairing, OwnerWindowMs) or someone pressed the button (physical presence).
    /// A successful pairing closes the owner's window; pairings and wrong setup codes go to the unlock log.
    /// </summary>
    public sealed class PairingWindow
    {
        public const int OwnerWindowMs = 120000;

        private readonly BindingStore _bindings;
        private readonly PhysicalPresence _presence;
        private readonly LogRecorder _recorder;
        private readonly PairingLed _led;
        private readonly IMonotonicClock _clock;
        private long _ownerWindowUntilMs = -1;

        public PairingWindow(BindingStore bindings, PhysicalPresence presence, LogRecorder recorder, PairingLed led, IMonotonicClock clock)
        {
            _bindings = bindings;
            _presence = presence;
            _recorder = recorder;
            _led = led;
            _clock = clock;
        }

        public bool IsOpen
        {
            get
            {
                return !_bindings.HasOwner || _presence.IsPresent
                    || (_ownerWindowUntilMs >= 0 && _clock.UptimeMilliseconds < _ownerWindowUntilMs);
            }
        }

        /// <summary>An owner opens the window for pairing another owner; returns its length in ms.</summary>
        public int OpenForAnotherOwner()
        {
            _ownerWindowUntilMs = _clock.UptimeMilliseconds + OwnerWindowMs;
            return OwnerWindowMs;
        }

        /// <summary>After a PairConfirm: result an ErrorCode, bindingId the new owner's (Ok only).</summary>
        public void OnPairingFinished(byte result, byte bindingId)
        {
            if (result == ErrorCode.Ok)
            {
                _ownerWindowUntilMs = -1;
                _recorder.Record(LogAction.Paired, LogTrigger.Phone, bindingId, ErrorCode.Ok);
                _led.ShowPaired();
            }
            else if (result == ErrorCode.WrongSetupCode)
            {
                _recorder.Record(LogAction.PairingFailed, LogTrigger.Phone, LogTrigger.NoBinding, result);
            }
        }
    }
}
