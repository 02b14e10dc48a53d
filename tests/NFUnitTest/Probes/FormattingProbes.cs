using System;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    public enum ProbeColor
    {
        Red,
        Green = 5,
        Blue,
    }

    [Flags]
    public enum ProbeFlags
    {
        A = 1,
        B = 2,
    }

    /// <summary>Number, char, bool and enum formatting; string.Format; parsing.</summary>
    [TestClass]
    public class FormattingProbes
    {
        private static readonly int[] Ints = { -7, int.MinValue, 1, 171, 4095, -1, 2, 1234567 };
        private static readonly long[] Longs = { long.MinValue, -1, 0x100000001 };
        private static readonly uint[] Uints = { 0xFFFFFFFF };
        private static readonly ulong[] Ulongs = { ulong.MaxValue };
        private static readonly byte[] Bytes = { 0xC8 };
        private static readonly double[] Doubles = { 3.14159, 0.1, 1e21, 1.5 };

        [TestMethod]
        public void IntegersToString()
        {
            Expect.Same("-7 -2147483648 -9223372036854775808 18446744073709551615 4294967295",
                Ints[0].ToString() + " " + Ints[1].ToString() + " " + Longs[0].ToString() + " " + Ulongs[0].ToString() + " " + Uints[0].ToString(), "ToString()");
        }

        [TestMethod]
        public void HexAndDecimalFormats()
        {
            Expect.Same("AB ab FFF FFFFFFFF FFFFFFFF", Ints[3].ToString("X2") + " " + Ints[3].ToString("x2") + " " + Ints[4].ToString("X2") + " " + Ints[5].ToString("X") + " " + Ints[5].ToString("X8"), "X formats on int");
            Expect.Same("C8 c8", Bytes[0].ToString("X2") + " " + Bytes[0].ToString("x"), "X formats on byte");
            Expect.Same("FFFFFFFFFFFFFFFF 0000000100000001", Longs[1].ToString("X") + " " + Longs[2].ToString("x16"), "X formats on long");
            Expect.Same("00002 -0007 171", Ints[6].ToString("D5") + " " + Ints[0].ToString("D4") + " " + Ints[3].ToString("D"), "D formats");
            Expect.Same("1,234,567.00 / 1,234,567 / -7.00", Ints[7].ToString("N") + " / " + Ints[7].ToString("N0") + " / " + Ints[0].ToString("N2"), "N formats");
        }

        [TestMethod]
        public void DoublesToString()
        {
            Expect.Same("3.14", Doubles[0].ToString("F2"), "F2");
            Expect.Differs("3.1415899999999999", "3.14159", Doubles[0].ToString(), "3.14159.ToString() (nanoCLR prints 17 significant digits)");
            Expect.Same("0.1 1E+21 1.5", Doubles[1].ToString() + " " + Doubles[2].ToString() + " " + Doubles[3].ToString(), "short doubles");
        }

        [TestMethod]
        public void StringFormat()
        {
            Expect.Same("-7-x 00AB [    2] [2    ] {2}",
                string.Format("{0}-{1}", new object[] { Ints[0], "x" }) + " " + string.Format("{0:X4}", new object[] { Ints[3] }) + " "
                + string.Format("[{0,5}]", new object[] { Ints[6] }) + " " + string.Format("[{0,-5}]", new object[] { Ints[6] }) + " " + string.Format("{{{0}}}", new object[] { Ints[6] }),
                "string.Format");
            Expect.Differs("System.IndexOutOfRangeException", "System.FormatException", Expect.Thrown(delegate { string.Format("{1}", new object[] { Ints[6] }); }), "a missing argument");
        }

        [TestMethod]
        public void ConcatenationOfNumbersCharsAndBools()
        {
            string nothing = null;
            Expect.Same("a-7c4294967295-9223372036854775808True1.5A", "a" + Ints[0] + 'c' + Uints[0] + Longs[0] + (Ints[2] == 1) + nothing + Doubles[3] + (char)(Ints[2] + 64), "concatenation");
            Expect.Same("A65Q", ((char)(Ints[2] + 64)).ToString() + (int)(char)(Ints[2] + 64) + "q".ToUpper(), "char");
        }

        [TestMethod]
        public void EnumToStringGivesTheNumber()
        {
            ProbeColor green = (ProbeColor)(Ints[2] + 4);
            Expect.Differs("5", "Green", green.ToString(), "enum.ToString()");
            Expect.Differs("c=6", "c=Blue", "c=" + (ProbeColor)(Ints[2] + 5), "enum in a concatenation");
            Expect.Same("42", ((ProbeColor)(Ints[2] + 41)).ToString(), "an undefined value");
            Expect.Differs("3", "A, B", (ProbeFlags.A | (ProbeFlags)Ints[6]).ToString(), "flags");
        }

        [TestMethod]
        public void IntParse()
        {
            Expect.Same("-42 7 12 12", int.Parse("-42").ToString() + " " + int.Parse("+7").ToString() + " " + int.Parse(" 12").ToString() + " " + int.Parse("12 ").ToString(), "int.Parse");
            Expect.Differs("System.ArgumentOutOfRangeException", "System.OverflowException", Expect.Thrown(delegate { int.Parse("2147483648"); }), "int.Parse overflow");
            Expect.Differs("System.ArgumentOutOfRangeException", "System.OverflowException", Expect.Thrown(delegate { byte.Parse("256"); }), "byte.Parse(\"256\")");
            Expect.Differs("System.ArgumentOutOfRangeException", "System.OverflowException", Expect.Thrown(delegate { uint.Parse("-1"); }), "uint.Parse(\"-1\")");
            Expect.Same("System.FormatException", Expect.Thrown(delegate { int.Parse(""); }), "int.Parse(\"\")");
            Expect.Same("System.FormatException", Expect.Thrown(delegate { int.Parse("0x10"); }), "int.Parse(\"0x10\")");
        }

        [TestMethod]
        public void TryParseLeavesMinValueOnFailure()
        {
            int result;
            Expect.Same("True:5 True:5 True:0 True:12", TryInt(" 5") + " " + TryInt("5 ") + " " + TryInt("-0") + " " + TryInt("00012"), "accepted");
            Expect.Differs("False:-2147483648", "False:0", TryInt("2147483648"), "overflow");
            Expect.Differs("False:-2147483648", "False:0", TryInt("1e3"), "exponent");
            Expect.Differs("False:-2147483648", "False:0", TryInt(""), "empty");
            Expect.Differs("False:-2147483648", "False:0", TryInt("+"), "a sign alone");
            long wide;
            bool parsed = long.TryParse("9223372036854775808", out wide);
            Expect.Differs("False:-9223372036854775808", "False:0", parsed.ToString() + ":" + wide.ToString(), "long overflow");
            Expect.Same("True", int.TryParse("-2147483648", out result).ToString(), "int.MinValue parses");
        }

        private static string TryInt(string text)
        {
            int result;
            bool parsed = int.TryParse(text, out result);
            return parsed.ToString() + ":" + result.ToString();
        }
    }
}
