using System;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>DateTime and TimeSpan: construction, arithmetic, limits, Kind and formatting.</summary>
    [TestClass]
    public class TimeProbes
    {
        private static readonly int[] Ints = { 2026, 1, 2, 3, 4, 5, 30 };

        [TestMethod]
        public void ConstructionAndParts()
        {
            DateTime d = new DateTime(Ints[0], Ints[1], Ints[2], Ints[3], Ints[4], Ints[5]);
            Expect.Same("639029198450000000 5 2 2026 1 2", d.Ticks + " " + (int)d.DayOfWeek + " " + d.DayOfYear + " " + d.Year + " " + d.Month + " " + d.Day, "ticks and parts");
            Expect.Differs("5", "Friday", d.DayOfWeek.ToString(), "DayOfWeek.ToString() (an enum)");
        }

        [TestMethod]
        public void ANewDateTimeIsUtc()
        {
            DateTime d = new DateTime(Ints[0], Ints[1], Ints[2]);
            Expect.Differs("1", "0", ((int)d.Kind).ToString(), "Kind of new DateTime(y, m, d): Utc on nanoCLR, Unspecified on .NET");
            DateTime t = new DateTime(Ints[0], Ints[1], Ints[2], Ints[3], Ints[4], Ints[5]);
            Expect.Differs("2026-01-02T03:04:05.0000000Z", "2026-01-02T03:04:05.0000000", t.ToString("o"), "ToString(\"o\")");
            Expect.Same("2026-01-02T03:04:05", t.ToString("s"), "ToString(\"s\")");
            Expect.Same("01/02/2026 03:04:05 2026-01-02 03:04:05", t.ToString() + " " + t.ToString("yyyy-MM-dd HH:mm:ss"), "ToString() and a custom format (.NET in the invariant culture)");
        }

        [TestMethod]
        public void Arithmetic()
        {
            DateTime d = new DateTime(Ints[0], Ints[2], 28);
            DateTime e = d.AddDays(1);
            Expect.Same("3/1 24 27 29 True -1 False", e.Month + "/" + e.Day + " " + (e - d).TotalHours + " " + d.AddSeconds(-1).Day + " " + DateTime.DaysInMonth(2028, Ints[2]) + " "
                + (d < e) + " " + d.CompareTo(e) + " " + d.Equals(e), "AddDays, subtraction, AddSeconds, DaysInMonth, compare");
            DateTime epoch = new DateTime(1970, 1, 1, 0, 0, 0);
            DateTime t = epoch.AddSeconds(1767225600);
            Expect.Same("2026-1-1 4 1767225600", t.Year + "-" + t.Month + "-" + t.Day + " " + (int)t.DayOfWeek + " " + (t - epoch).Ticks / 10000000, "Unix seconds");
        }

        [TestMethod]
        public void Limits()
        {
            Expect.Differs("504911232000000000 3000", "0 9999", DateTime.MinValue.Ticks + " " + DateTime.MaxValue.Year, "MinValue (1601-01-01 on nanoCLR) and MaxValue's year");
        }

        [TestMethod]
        public void AnInvalidDateIsNotRefused()
        {
            Expect.Differs("639080064000000000", "System.ArgumentOutOfRangeException", Attempt(delegate { return new DateTime(Ints[0], Ints[2], Ints[6]).Ticks.ToString(); }), "new DateTime(2026, 2, 30): 2026-03-02 on nanoCLR");
        }

        [TestMethod]
        public void TimeSpans()
        {
            TimeSpan t = new TimeSpan(1, 2, 3, 4, 5);
            Expect.Same("937840050000 93784005 1.02:03:04.0050000 00:01:30 -1.02:03:04.0050000 1.5", t.Ticks + " " + t.TotalMilliseconds + " " + t.ToString() + " " + TimeSpan.FromSeconds(90).ToString() + " "
                + (-t).ToString() + " " + TimeSpan.FromMilliseconds(1500).TotalSeconds, "ticks, totals, ToString");
            TimeSpan negative = TimeSpan.FromMilliseconds(-90061001);
            Expect.Same("-1 -1 -1 -1 -1", negative.Days + " " + negative.Hours + " " + negative.Minutes + " " + negative.Seconds + " " + negative.Milliseconds, "parts of a negative span");
            Expect.Same("00:00:00 00:00:00.0010000 10000 10000000", TimeSpan.Zero.ToString() + " " + new TimeSpan(0, 0, 0, 0, 1).ToString() + " " + TimeSpan.TicksPerMillisecond + " " + TimeSpan.TicksPerSecond, "zero, one millisecond, ticks per unit");
        }

        private static string Attempt(ProbeText text)
        {
            try
            {
                return text();
            }
            catch (Exception e)
            {
                return e.GetType().FullName;
            }
        }
    }
}
