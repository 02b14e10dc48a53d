namespace SmartKey.Firmware.Keys
{
    /// <summary>
    /// Whether a binding may open the lock at a given moment: owners always (unless revoked); guests inside
    /// [ValidFrom, ValidUntil) and inside their weekly schedule, evaluated in the owner's local time.
    /// A pure function, table-tested.
    /// </summary>
    public static class AccessWindow
    {
        /// <summary>
        /// A clock below the time floor (the newest time the log has seen) has been lost or set back: a
        /// guest's window cannot be judged by it, and an expired guest must not come back to life.
        /// Owners are not affected; an owner setting the clock moves the floor.
        /// </summary>
        public static bool ClockTrustedForGuests(long unixSeconds, long timeFloorUnixSeconds)
        {
            return unixSeconds >= timeFloorUnixSeconds;
        }

        public static bool Allows(Binding binding, long unixSeconds, int timezoneOffsetMinutes, long timeFloorUnixSeconds)
        {
            if (binding != null && !binding.IsOwner && !ClockTrustedForGuests(unixSeconds, timeFloorUnixSeconds)) return false;
            return Allows(binding, unixSeconds, timezoneOffsetMinutes);
        }

        public static bool Allows(Binding binding, long unixSeconds, int timezoneOffsetMinutes)
        {
            if (binding == null || binding.Revoked)
            {
                return false;
            }

            if (binding.IsOwner)
            {
                return true;
            }

            if (unixSeconds < binding.ValidFrom || (binding.ValidUntil != 0 && unixSeconds >= binding.ValidUntil))
            {
                return false;
            }

            long local = unixSeconds + (long)timezoneOffsetMinutes * 60;
            long days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
            int minute = (int)((local - days * 86400) / 60);
            // 1970-01-01 was a Thursday: Monday = 0.
            int weekday = (int)(((days % 7) + 7 + 3) % 7);
            if ((binding.Days & (1 << weekday)) == 0)
            {
                return false;
            }

            if (binding.StartMinute <= binding.EndMinute)
            {
                return minute >= binding.StartMinute && minute < binding.EndMinute;
            }

            // A window across midnight (e.g. 22:00-06:00).
            return minute >= binding.StartMinute || minute < binding.EndMinute;
        }
    }
}
