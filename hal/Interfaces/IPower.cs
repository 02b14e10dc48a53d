namespace SmartKey.Hal
{
    /// <summary>Deep sleep and reboot. Both end the running program: the runtime restarts from Main.</summary>
    public interface IPower
    {
        WakeCause LastWakeCause { get; }

        /// <summary>Sleeps at about 10 µA until one of the sources fires; timerMilliseconds applies with Timer.</summary>
        void DeepSleep(WakeSources sources, long timerMilliseconds);

        void Reboot();
    }
}
