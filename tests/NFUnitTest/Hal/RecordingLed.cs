using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>The status LED: remembers its pattern.</summary>
    public sealed class RecordingLed : IStatusLed
    {
        public LedPattern Pattern { get; private set; }

        public void Show(LedPattern pattern)
        {
            Pattern = pattern;
        }
    }
}
