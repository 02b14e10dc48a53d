using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>The bolt, its motor and its two end-stops: it travels TravelMs of motor time between them.</summary>
    public sealed class Bolt : ILockMotor
    {
        public const int TravelMs = 400;
        private long _positionMs = TravelMs;

        public Bolt()
        {
            LockedEndStop = new SettableInput(true);
            UnlockedEndStop = new SettableInput(false);
        }

        public SettableInput LockedEndStop { get; private set; }

        public SettableInput UnlockedEndStop { get; private set; }

        public MotorDrive Drive { get; private set; }

        public void SetDrive(MotorDrive drive)
        {
            Drive = drive;
        }

        public bool IsLocked
        {
            get { return _positionMs >= TravelMs; }
        }

        public void Advance(long milliseconds)
        {
            if (Drive == MotorDrive.Stop)
            {
                return;
            }

            _positionMs += Drive == MotorDrive.Extend ? milliseconds : -milliseconds;
            _positionMs = _positionMs < 0 ? 0 : _positionMs > TravelMs ? TravelMs : _positionMs;
            LockedEndStop.Set(_positionMs >= TravelMs);
            UnlockedEndStop.Set(_positionMs <= 0);
        }
    }
}
