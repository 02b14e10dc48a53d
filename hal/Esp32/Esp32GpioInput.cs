using System;
using System.Device.Gpio;

namespace SmartKey.Hal.Esp32
{
    /// <summary>A debounced GPIO input (end-stop, door contact, push button); switches pull to ground, so active is low.</summary>
    public sealed class Esp32GpioInput : IBinaryInput
    {
        private readonly GpioPin _pin;
        private readonly bool _activeLow;

        public Esp32GpioInput(GpioController gpio, int pinNumber, bool activeLow, int debounceMilliseconds)
        {
            _activeLow = activeLow;
            _pin = gpio.OpenPin(pinNumber, activeLow ? PinMode.InputPullUp : PinMode.InputPullDown);
            _pin.DebounceTimeout = TimeSpan.FromMilliseconds(debounceMilliseconds);
            _pin.ValueChanged += OnValueChanged;
        }

        public event InputChangedHandler Changed;

        public bool IsActive
        {
            get { return _pin.Read().Equals(PinValue.Low) == _activeLow; }
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            InputChangedHandler handler = Changed;
            if (handler != null)
            {
                handler(this, IsActive);
            }
        }
    }
}
