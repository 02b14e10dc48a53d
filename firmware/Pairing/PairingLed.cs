using SmartKey.Firmware.Keys;
using SmartKey.Hal;

namespace SmartKey.Firmware.Pairing
{
    /// <summary>The status LED blinks slowly while the lock has no owner (pairing open to the label's code) and is dark once owned.</summary>
    public sealed class PairingLed
    {
        private readonly IStatusLed _led;
        private readonly BindingStore _bindings;

        public PairingLed(IStatusLed led, BindingStore bindings)
        {
            _led = led;
            _bindings = bindings;
        }

        public void ShowOwnership()
        {
            _led.Show(_bindings.HasOwner ? LedPattern.Off : LedPattern.BlinkSlow);
        }

        public void ShowPaired()
        {
            _led.Show(LedPattern.Off);
        }

        /// <summary>After a factory reset: unowned, pairing open.</summary>
        public void ShowPairingOpen()
        {
            _led.Show(LedPattern.BlinkSlow);
        }
    }
}
