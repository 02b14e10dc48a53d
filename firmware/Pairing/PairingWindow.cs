using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Button;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>
    /// When a phone may pair: with the label's code only while the lock has no owner; another owner only
    /// with the one-time code an owner's session asked for (AllowOwnerPairing: OwnerInvite), within its
    /// window and for one pairing, and only while the owner who opened it is still an owner (revoking that owner
    /// closes it). The button does not open pairing (it is on the inside, but the label's
    /// code is known to former tenants and installers); a lock whose owners are all lost is recovered by the
    /// factory-reset hold at power-up. Pairings and wrong codes go to the unlock log.
    /// </summary>
    public sealed class PairingWindow
    {
        public const int OwnerWindowMs = OwnerInvite.WindowMs;

        private readonly BindingStore _bindings;
        private readonly OwnerInvite _invite;
        private readonly ProvisionedIdentity _identity;
        private readonly LogRecorder _recorder;
        private readonly PairingLed _led;
        private readonly IMonotonicClock _clock;

        public PairingWindow(BindingStore bindings, OwnerInvite invite, ProvisionedIdentity identity, LogRecorder recorder, PairingLed led, IMonotonicClock clock)
        {
            _bindings = bindings;
            _invite = invite;
            _identity = identity;
            _recorder = recorder;
            _led = led;
            _clock = clock;
        }

        public bool IsOpen
        {
            get
            {
                return !_bindings.HasOwner || InviteOpen;
            }
        }

        /// <summary>
        /// True while an owner's invite is what a PairRequest is checked against: the lock has an owner and the invite is
        /// open (its 120 s have not passed, no owner paired with it yet, and its opener is still an owner).
        /// </summary>
        public bool IsInvite
        {
            get { return _bindings.HasOwner && InviteOpen; }
        }

        /// <summary>The invite is open and its opener is still an owner; an invite whose opener was revoked is closed for good.</summary>
        private bool InviteOpen
        {
            get
            {
                if (!_invite.IsOpen) return false;
                Binding opener = _bindings.Find(_invite.Opener);
                if (opener != null && opener.IsOwner && !opener.Revoked) return true;
                _invite.Close();
                return false;
            }
        }

        /// <summary>The verifier a PairRequest is checked against now: the label's while unowned, else the open invite's (null: none).</summary>
        public byte[] VerifierW0
        {
            get { return !_bindings.HasOwner ? (_identity.Current == null ? null : _identity.Current.W0) : InviteOpen ? _invite.W0 : null; }
        }

        public byte[] VerifierL
        {
            get { return !_bindings.HasOwner ? (_identity.Current == null ? null : _identity.Current.L) : InviteOpen ? _invite.L : null; }
        }

        /// <summary>An owner's session (binding id opener) opens the window for one more owner: returns the one-time code (null before provisioning).</summary>
        public byte[] OpenForAnotherOwner(byte opener)
        {
            if (_identity.Current == null) return null;
            return _invite.Open(_identity.Current.Serial, opener);
        }

        /// <summary>After a PairConfirm: result an ErrorCode, bindingId the new owner's (Ok only).</summary>
        public void OnPairingFinished(byte result, byte bindingId)
        {
            if (result == ErrorCode.Ok)
            {
                _invite.Close();
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
