using SmartKey.Firmware.Config;
using SmartKey.Hal;

namespace SmartKey.Firmware.Battery
{
    /// <summary>
    /// ADC counts → millivolts → median of the last five accepted samples → state of charge → state with
    /// hysteresis. Samples taken while the motor runs, and for a second after it stops, are rejected: the
    /// sag under the motor's current says nothing about the charge left.
    /// </summary>
    public sealed class BatteryMonitor
    {
        public const int MotorRecoveryMs = 1000;
        private const int Window = 5;

        private readonly IBatteryAdc _adc;
        private readonly ILockMotor _motor;
        private readonly IMonotonicClock _clock;
        private readonly BatteryVoltage _voltage;
        private readonly DischargeCurve _curve;
        private readonly DeviceConfig _config;
        private readonly int[] _samples = new int[Window];
        private readonly int[] _sorted = new int[Window];
        private int _sampleCount;
        private int _next;
        private long _motorStoppedAtMs = -MotorRecoveryMs;
        private bool _hasState;

        public BatteryMonitor(IBatteryAdc adc, ILockMotor motor, IMonotonicClock clock, DeviceConfig config)
        {
            _adc = adc;
            _motor = motor;
            _clock = clock;
            _config = config;
            _voltage = new BatteryVoltage(config);
            _curve = DischargeCurve.For(config.BatteryChemistry);
        }

        public int Millivolts { get; private set; }

        public int Percent { get; private set; }

        public BatteryState State { get; private set; }

        public int RejectedSamples { get; private set; }

        public bool AllowsWifi
        {
            get { return State != BatteryState.Critical; }
        }

        public bool AllowsOta
        {
            get { return State == BatteryState.Ok; }
        }

        /// <summary>The motor has just stopped: samples in the next second are sag, not charge.</summary>
        public void NoteMotorStopped()
        {
            _motorStoppedAtMs = _clock.UptimeMilliseconds;
        }

        /// <summary>Takes one reading; true when the state changed.</summary>
        public bool Sample()
        {
            if (_motor.Drive != MotorDrive.Stop || _clock.UptimeMilliseconds - _motorStoppedAtMs < MotorRecoveryMs)
            {
                RejectedSamples++;
                return false;
            }

            _samples[_next] = _voltage.ToMillivolts(_adc.ReadCount(), _adc.MaxCount);
            _next = (_next + 1) % Window;
            if (_sampleCount < Window) _sampleCount++;
            Millivolts = Median();
            Percent = _curve.PercentAt(Millivolts);
            BatteryState previous = State;
            State = _hasState
                ? BatteryStates.Next(State, Percent, _config.BatteryLowPercent, _config.BatteryCriticalPercent, _config.BatteryHysteresisPercent)
                : BatteryStates.Initial(Percent, _config.BatteryLowPercent, _config.BatteryCriticalPercent);
            bool changed = _hasState && State != previous;
            _hasState = true;
            return changed;
        }

        private int Median()
        {
            System.Array.Copy(_samples, _sorted, _sampleCount);
            for (int i = 1; i < _sampleCount; i++)
            {
                int v = _sorted[i];
                int j = i - 1;
                while (j >= 0 && _sorted[j] > v)
                {
                    _sorted[j + 1] = _sorted[j];
                    j--;
                }

                _sorted[j + 1] = v;
            }

            return _sorted[_sampleCount / 2];
        }
    }
}
