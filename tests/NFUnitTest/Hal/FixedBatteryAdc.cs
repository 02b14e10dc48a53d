using SmartKey.Hal;

namespace SmartKey.NFUnitTest.Hal
{
    /// <summary>A battery ADC reading a fixed count (of 4095).</summary>
    public sealed class FixedBatteryAdc : IBatteryAdc
    {
        private readonly int _count;

        public FixedBatteryAdc(int count)
        {
            _count = count;
        }

        public int MaxCount
        {
            get { return 4095; }
        }

        public int ReadCount()
        {
            return _count;
        }
    }
}
