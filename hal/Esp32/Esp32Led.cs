using System.Device.Gpio;
using System.Threading;

namespace SmartKey.Hal.Esp32
{
    /// <summary>The status LED on one GPIO; blinking runs on a Timer so the core never waits for it.</summary>
    public sealed class Esp32Led : IStatusLed
    {
        private readonly GpioPin _pin;
        private readonly Timer _timer;
        private LedPattern _pattern;

        public Esp32Led(GpioController gpio, int pinNumber)
        {
            _pin = gpio.OpenPin(pinNumber, PinMode.Output);
            _pin.Write(PinValue.Low);
            _timer = new Timer(OnTick, null, Timeout.Infinite, Timeout.Infinite);
        }

        public LedPattern Pattern
        {
            get { return _pattern; }
        }

        public void Show(LedPattern pattern)
        {
            _pattern = pattern;
            switch (pattern)
            {
                case LedPattern.BlinkSlow:
                    _timer.Change(0, 500);
                    break;
                case LedPattern.BlinkFast:
                    _timer.Change(0, 100);
                    break;
                default:
                    _timer.Change(Timeout.Infinite, Timeout.Infinite);
                    _pin.Write(pattern == LedPattern.On ? PinValue.High : PinValue.Low);
                    break;
            }
        }

        private void OnTick(object state)
        {
            _pin.Toggle();
        }
    }
}
