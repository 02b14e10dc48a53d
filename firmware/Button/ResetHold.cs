using SmartKey.Firmware.Reset;
using SmartKey.Hal;

namespace SmartKey.Firmware.Button
{
    /// <summary>
    /// The factory reset by hand: the button held while power comes on and kept down for HoldMs resets the
    /// lock. The LED blinks fast while the hold runs; letting go earlier cancels it (Released).
    /// </summary>
    public sealed class ResetHold
    {
        public const int HoldMs = 10000;

        private readonly IBinaryInput _button;
        private readonly IStatusLed _led;
        private readonly FactoryReset _reset;
        private readonly IMonotonicClock _clock;
        private long _startedMs = -1;

        public ResetHold(IBinaryInput button, IStatusLed led, FactoryReset reset, IMonotonicClock clock)
        {
            _button = button;
            _led = led;
            _reset = reset;
            _clock = clock;
        }

        /// <summary>The button was let go before the reset: the LED is free again.</summary>
        public event ResetHoldHandler Released;

        public bool IsRunning
        {
            get { return _startedMs >= 0; }
        }

        /// <summary>At boot: only a button held at power-up starts the hold (a wake by the button does not).</summary>
        public void BeginIfHeldAtPowerUp(WakeCause cause)
        {
            if (!_button.IsActive || cause != WakeCause.PowerOn) return;
            _startedMs = _clock.UptimeMilliseconds;
            _led.Show(LedPattern.BlinkFast);
        }

        public void Poll(long nowMs)
        {
            if (_startedMs < 0) return;
            if (!_button.IsActive)
            {
                _startedMs = -1;
                if (Released != null) Released();
            }
            else if (nowMs - _startedMs >= HoldMs)
            {
                _startedMs = -1;
                _reset.Run();
            }
        }
    }
}
