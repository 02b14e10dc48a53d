using SmartKey.Firmware.Power;
using SmartKey.Hal;

namespace SmartKey.Firmware.Button
{
    /// <summary>
    /// The lock's one button, seen from the main loop: a press is reported when it is released, with how long
    /// it was held; it counts as activity (it lifts a pairing lock-out, it never opens pairing). While a factory-reset hold runs the
    /// button belongs to it.
    /// </summary>
    public sealed class PushButton
    {
        private readonly IBinaryInput _button;
        private readonly ResetHold _resetHold;
        private readonly PowerManager _power;
        private long _downMs = -1;

        public PushButton(IBinaryInput button, ResetHold resetHold, PowerManager power)
        {
            _button = button;
            _resetHold = resetHold;
            _power = power;
        }

        /// <summary>Raised on release of a press.</summary>
        public event ButtonPressedHandler Pressed;

        /// <summary>The button is down right now (the console's re-provisioning needs it held).</summary>
        public bool IsHeld
        {
            get { return _button.IsActive; }
        }

        public void Poll(long nowMs)
        {
            if (_resetHold.IsRunning) return;
            if (_button.IsActive)
            {
                if (_downMs < 0) _downMs = nowMs;
                return;
            }

            if (_downMs < 0) return;
            long held = nowMs - _downMs;
            _downMs = -1;
            _power.NoteActivity();
            if (Pressed != null) Pressed(held);
        }
    }
}
