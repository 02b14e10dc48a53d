using System.Device.Adc;

namespace SmartKey.Hal.Esp32
{
    /// <summary>Battery divider on an ADC1 channel (12 bits, 12 dB attenuation, fixed by the firmware image).</summary>
    public sealed class Esp32BatteryAdc : IBatteryAdc
    {
        private readonly AdcController _controller;
        private readonly AdcChannel _channel;

        public Esp32BatteryAdc(int channel)
        {
            _controller = new AdcController();
            _channel = _controller.OpenChannel(channel);
        }

        public int MaxCount
        {
            get { return _controller.MaxValue; }
        }

        public int ReadCount()
        {
            return _channel.ReadValue();
        }
    }
}
