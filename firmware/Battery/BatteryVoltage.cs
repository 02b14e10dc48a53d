using SmartKey.Firmware.Config;

namespace SmartKey.Firmware.Battery
{
    /// <summary>ADC counts → millivolts at the battery: full scale, divider, then the per-device calibration.</summary>
    public sealed class BatteryVoltage
    {
        private readonly int _fullScaleMillivolts;
        private readonly int _dividerNumerator;
        private readonly int _dividerDenominator;
        private readonly int _offsetMillivolts;
        private readonly int _gainPermille;

        public BatteryVoltage(DeviceConfig config)
        {
            _fullScaleMillivolts = config.AdcFullScaleMillivolts;
            _dividerNumerator = config.DividerNumerator;
            _dividerDenominator = config.DividerBottomOhms;
            _offsetMillivolts = config.CalibrationOffsetMillivolts;
            _gainPermille = config.CalibrationGainPermille;
        }

        public int ToMillivolts(int count, int maxCount)
        {
            if (count < 0)
            {
                count = 0;
            }

            if (count > maxCount)
            {
                count = maxCount;
            }

            long pinMillivolts = (long)count * _fullScaleMillivolts / maxCount;
            long battery = pinMillivolts * _dividerNumerator / _dividerDenominator;
            battery = battery * _gainPermille / 1000 + _offsetMillivolts;
            return battery < 0 ? 0 : (int)battery;
        }
    }
}
