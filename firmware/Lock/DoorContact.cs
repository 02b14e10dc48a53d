using SmartKey.Hal;

namespace SmartKey.Firmware.Lock
{
    /// <summary>The optional door contact (active = door closed); locks without one report "no door contact".</summary>
    public sealed class DoorContact
    {
        public const int Closed = 0;
        public const int Open = 1;
        public const int NoContact = 2;

        private readonly IBinaryInput _door;

        /// <summary>door may be null: the lock has no door contact.</summary>
        public DoorContact(IBinaryInput door)
        {
            _door = door;
        }

        public bool HasSensor
        {
            get { return _door != null; }
        }

        public bool IsClosed
        {
            get { return _door != null && _door.IsActive; }
        }

        /// <summary>0 closed, 1 open, 2 no door contact (as in the Status response).</summary>
        public int State
        {
            get { return _door == null ? NoContact : _door.IsActive ? Closed : Open; }
        }
    }
}
