namespace SmartKey.Hal
{
    /// <summary>Milliseconds since boot; never goes backwards, unaffected by setting the wall clock.</summary>
    public interface IMonotonicClock
    {
        long UptimeMilliseconds { get; }
    }
}
