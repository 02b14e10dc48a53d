namespace SmartKey.Hal
{
    /// <summary>Wall clock (RTC) in Unix seconds, UTC. Owners set it over a session; it may jump.</summary>
    public interface IRealTimeClock
    {
        long UnixSeconds { get; }

        void SetUnixSeconds(long unixSeconds);
    }
}
