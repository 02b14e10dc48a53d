namespace SmartKey.Firmware.Session
{
    /// <summary>
    /// Backs off session attempts after failed authentications: three in a row are tolerated, then each
    /// further failure doubles the wait (2 s … 300 s). Kept in RAM: binding keys are 256-bit, so this
    /// protects the battery from a flood rather than the keys from guessing. A success resets it.
    /// </summary>
    public sealed class AuthThrottle
    {
        public const int Tolerated = 3;
        public const int MaxWaitSeconds = 300;

        private long _blockedUntilMs;

        public int ConsecutiveFailures { get; private set; }

        public static int WaitSeconds(int failures)
        {
            if (failures < Tolerated) return 0;
            int exponent = failures - Tolerated + 1;
            int wait = exponent >= 9 ? MaxWaitSeconds : 1 << exponent;
            return wait > MaxWaitSeconds ? MaxWaitSeconds : wait;
        }

        public long RemainingMs(long nowMs)
        {
            return _blockedUntilMs > nowMs ? _blockedUntilMs - nowMs : 0;
        }

        public void Failed(long nowMs)
        {
            ConsecutiveFailures++;
            _blockedUntilMs = nowMs + WaitSeconds(ConsecutiveFailures) * 1000L;
        }

        public void Succeeded()
        {
            ConsecutiveFailures = 0;
            _blockedUntilMs = 0;
        }
    }
}
