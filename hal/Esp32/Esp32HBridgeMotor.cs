using System.Device.Gpio;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// Bolt motor on an H-bridge (e.g. DRV8833): input A high drives the bolt out, input B high drives it in,
    /// both low coasts. Both are set low before either goes high, so the bridge never sees both driven.
    /// </summary>
    public sealed class Esp32HBridgeMotor : ILockMotor
    {
        private readonly GpioPin _a;
        private readonly GpioPin _b;
        private MotorDrive _drive;

        public Esp32HBridgeMotor(GpioController gpio, int pinA, int pinB)
        {
            _a = gpio.OpenPin(pinA, PinMode.Output);
            _b = gpio.OpenPin(pinB, PinMode.Output);
            SetDrive(MotorDrive.Stop);
        }

        public MotorDrive Drive
        {
            get { return _drive; }
        }

        public void SetDrive(MotorDrive drive)
        {
            _a.Write(PinValue.Low);
            _b.Write(PinValue.Low);
            if (drive == MotorDrive.Extend)
            {
                _a.Write(PinValue.High);
            }
            else if (drive == MotorDrive.Retract)
            {
                _b.Write(PinValue.High);
            }

            _drive = drive;
        }
    }
}
