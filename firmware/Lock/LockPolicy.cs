namespace SmartKey.Firmware.Lock
{
    /// <summary>What a command does in each state: the lock's policy as data, not nested ifs.</summary>
    public static class LockPolicy
    {
        public const int Start = 0;
        public const int AlreadyThere = 1;
        public const int Busy = 2;

        // Rows: LockState (Unknown, Locked, Unlocked, Locking, Unlocking, Jammed); columns: LockCommand (Lock, Unlock).
        private static readonly int[] Table = new int[]
        {
            Start, Start,               // Unknown: find out by driving
            AlreadyThere, Start,        // Locked
            Start, AlreadyThere,        // Unlocked
            Busy, Busy,                 // Locking
            Busy, Busy,                 // Unlocking
            Start, Start,               // Jammed: a new command is a retry
        };

        public static int Decide(LockState state, LockCommand command)
        {
            return Table[(int)state * 2 + (int)command];
        }
    }
}
