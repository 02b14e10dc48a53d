namespace SmartKey.Firmware.Battery
{
    /// <summary>
    /// State of charge from the pack's voltage at light load, by linear interpolation between points of the
    /// chemistry's discharge curve (datasheet-typical values per cell, times the cells in series):
    /// 4×AA alkaline (Energizer E91 at 25 mA), 2×CR123A lithium (Panasonic CR123A, flat then steep),
    /// Li-ion 1S (generic NMC open-circuit curve).
    /// </summary>
    public sealed class DischargeCurve
    {
        private readonly int[] _millivolts;
        private readonly int[] _percent;

        private DischargeCurve(int[] millivolts, int[] percent)
        {
            _millivolts = millivolts;
            _percent = percent;
        }

        public static DischargeCurve For(string chemistry)
        {
            switch (chemistry)
            {
                case "lithium_2cr123a":
                    return new DischargeCurve(new int[] { 6400, 6000, 5800, 5600, 5400, 5200, 4800, 4000 }, new int[] { 100, 90, 70, 40, 20, 10, 3, 0 });
                case "liion_1s":
                    return new DischargeCurve(new int[] { 4200, 4100, 4000, 3900, 3800, 3700, 3600, 3500, 3400, 3300 }, new int[] { 100, 90, 80, 68, 55, 40, 25, 12, 5, 0 });
                default:
                    return new DischargeCurve(new int[] { 6400, 6000, 5600, 5200, 5000, 4800, 4600, 4400, 4000 }, new int[] { 100, 90, 70, 45, 30, 18, 10, 5, 0 });
            }
        }

        public int PercentAt(int millivolts)
        {
            if (millivolts >= _millivolts[0]) return 100;
            for (int i = 1; i < _millivolts.Length; i++)
            {
                if (millivolts >= _millivolts[i])
                {
                    int span = _millivolts[i - 1] - _millivolts[i];
                    return _percent[i] + (_percent[i - 1] - _percent[i]) * (millivolts - _millivolts[i]) / span;
                }
            }

            return 0;
        }
    }
}
