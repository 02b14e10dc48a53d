namespace SmartKey.Hal.Simulated;

public sealed class SimLed : IStatusLed
{
    public LedPattern Pattern { get; private set; }

    public void Show(LedPattern pattern) => Pattern = pattern;
}
