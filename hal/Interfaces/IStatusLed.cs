namespace SmartKey.Hal
{
    public interface IStatusLed
    {
        LedPattern Pattern { get; }

        void Show(LedPattern pattern);
    }
}
