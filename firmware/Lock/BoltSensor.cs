using SmartKey.Hal;

namespace SmartKey.Firmware.Lock
{
    /// <summary>Reads the two end-stops as one bolt position.</summary>
    public static class BoltSensor
    {
        public static BoltPosition Read(IBinaryInput lockedEndStop, IBinaryInput unlockedEndStop)
        {
            bool locked = lockedEndStop.IsActive;
            bool unlocked = unlockedEndStop.IsActive;
            if (locked && unlocked)
            {
                return BoltPosition.Fault;
            }

            if (locked)
            {
                return BoltPosition.Locked;
            }

            return unlocked ? BoltPosition.Unlocked : BoltPosition.Between;
        }
    }
}
