using System;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>Integer arithmetic, conversions and comparisons on nanoCLR, with operands the compiler cannot fold.</summary>
    [TestClass]
    public class ArithmeticProbes
    {
        private static readonly uint[] Small = { 3, 5, 0xFFFFFFFF, 0x80000000 };
        private static readonly int[] Signed = { -7, 2, 0, int.MinValue, -1, 0x10000, int.MaxValue, 1, 300 };
        private static readonly long[] Longs = { 0x100000001, long.MinValue, -1, 0x180000000 };
        private static readonly ulong[] Wide = { 0x8000000000000000, ulong.MaxValue };
        private static readonly double[] Doubles = { 3e10, -2.7, 1.0 };

        [TestMethod]
        public void SignedDivisionAndRemainderTruncateTowardZero()
        {
            Expect.Same("-3", (Signed[0] / Signed[1]).ToString(), "-7 / 2");
            Expect.Same("-1", (Signed[0] % Signed[1]).ToString(), "-7 % 2");
            Expect.Same("1", (-Signed[0] % -Signed[1]).ToString(), "7 % -2");
            Expect.Same("-3", ((long)Signed[0] / Signed[1]).ToString(), "-7L / 2");
            Expect.Same("-1", ((long)Signed[0] % Signed[1]).ToString(), "-7L % 2");
        }

        [TestMethod]
        public void UnsignedDivisionAndRemainder()
        {
            Expect.Same("1431655765", (Small[2] / Small[0]).ToString(), "0xFFFFFFFF / 3");
            Expect.Same("5", (Small[2] % 10).ToString(), "0xFFFFFFFF % 10");
            Expect.Same("6148914691236517205", (Wide[1] / 3).ToString(), "ulong.MaxValue / 3");
        }

        [TestMethod]
        public void DivisionAndComparisonOfAValueFromUnsignedOperandsAreSigned()
        {
            // (int)(x - y) is -2 but carries the interpreter's unsigned tag; div, clt and cgt still treat it as signed.
            Expect.Same("-1", ((int)(Small[0] - Small[1]) / 2).ToString(), "(int)(x - y) / 2");
            Expect.Same("True", ((int)(Small[0] - Small[1]) < 0).ToString(), "(int)(x - y) < 0");
            Expect.Same("False", ((int)(Small[0] - Small[1]) > 0).ToString(), "(int)(x - y) > 0");
            Expect.Same("-1", (((long)Small[0] - Small[1]) / 2).ToString(), "((long)x - y) / 2");
            Expect.Same("True", (((long)Small[0] - Small[1]) < 0).ToString(), "(long)x - y < 0");
            Expect.Same("-2", ((int)(Small[0] - Small[1])).ToString(), "(int)(x - y).ToString()");
            Expect.Same("True", ((int)Small[2] == -1).ToString(), "(int)0xFFFFFFFFu == -1");
        }

        [TestMethod]
        public void RemainderOfAValueFromUnsignedOperandsIsUnsigned()
        {
            Expect.Differs("2", "-2", ((int)(Small[0] - Small[1]) % 3).ToString(), "(int)(x - y) % 3, x=3 y=5 (rem.un on 0xFFFFFFFE)");
        }

        [TestMethod]
        public void WideningAValueFromUnsignedOperandsZeroExtends()
        {
            Expect.Differs("4294967294", "-2", ((long)(int)(Small[0] - Small[1])).ToString(), "(long)(int)(x - y)");
            Expect.Differs("4294967295", "-1", ((long)(int)Small[2]).ToString(), "(long)(int)0xFFFFFFFFu");
            Expect.Differs("4294967294", "-2", ((double)(int)(Small[0] - Small[1])).ToString(), "(double)(int)(x - y)");
            int[] cell = new int[1];
            cell[0] = (int)Small[2];
            Expect.Same("-1", ((long)cell[0]).ToString(), "(long) of an int[] element that holds (int)0xFFFFFFFFu");
        }

        [TestMethod]
        public void WrapAroundWithoutChecked()
        {
            Expect.Same("0", (Signed[5] * Signed[5]).ToString(), "0x10000 * 0x10000 (int)");
            Expect.Same("8589934593", (Longs[0] * Longs[0]).ToString(), "0x100000001L squared wraps to 0x200000001");
            Expect.Same("-2147483648", (Signed[6] + Signed[7]).ToString(), "int.MaxValue + 1");
            Expect.Same("-2147483648", (-Signed[3]).ToString(), "-int.MinValue");
            Expect.Same("18446744065119617025", ((ulong)Small[2] * Small[2]).ToString(), "(ulong)0xFFFFFFFF * 0xFFFFFFFF");
            Expect.Same("0", (Small[2] + 1).ToString(), "uint.MaxValue + 1");
        }

        [TestMethod]
        public void NarrowingCastsTruncate()
        {
            Expect.Same("44", ((byte)Signed[8]).ToString(), "(byte)300");
            Expect.Same("-56", ((sbyte)(Signed[8] - 100)).ToString(), "(sbyte)200");
            Expect.Same("-32768", ((short)(Signed[5] + 0x8000)).ToString(), "(short)0x18000");
            Expect.Same("65535", ((ushort)Signed[4]).ToString(), "(ushort)-1");
            Expect.Same("-2147483648", ((int)Longs[3]).ToString(), "(int)0x180000000L");
            Expect.Same("4294967295", ((uint)Signed[4]).ToString(), "(uint)-1");
            Expect.Same("18446744073709551615", ((ulong)Signed[4]).ToString(), "(ulong)-1 sign-extends");
            Expect.Same("4294967295", ((ulong)Small[2]).ToString(), "(ulong)0xFFFFFFFFu zero-extends");
            Expect.Same("A", ((char)(Signed[8] - 235)).ToString(), "(char)65");
            Expect.Same("98", ('a' + Signed[7]).ToString(), "'a' + 1");
        }

        [TestMethod]
        public void MixedSignComparisons()
        {
            Expect.Same("False", (Small[2] == Signed[4]).ToString(), "0xFFFFFFFFu == -1 (compared as long)");
            Expect.Same("True", (Small[2] > Small[0]).ToString(), "0xFFFFFFFFu > 3u");
            Expect.Same("True", (Small[3] > 1).ToString(), "0x80000000u > 1");
            Expect.Same("True", ((int)Small[3] < 1).ToString(), "(int)0x80000000u < 1");
            Expect.Same("True", (Wide[0] > 1).ToString(), "0x8000000000000000ul > 1");
            Expect.Same("True", ((long)Wide[0] < 0).ToString(), "(long)0x8000000000000000ul < 0");
            Expect.Same("True", (Longs[1] < Longs[2]).ToString(), "long.MinValue < -1");
        }

        [TestMethod]
        public void CheckedArithmeticDoesNotThrow()
        {
            // nanoCLR executes add.ovf, sub.ovf, mul.ovf and conv.ovf.* as their unchecked forms.
            Expect.Differs("-2147483648", "System.OverflowException", Checked(delegate { return checked(Signed[6] + Signed[7]).ToString(); }), "checked(int.MaxValue + 1)");
            Expect.Differs("9223372036854775807", "System.OverflowException", Checked(delegate { return checked(Longs[1] - 1).ToString(); }), "checked(long.MinValue - 1)");
            Expect.Differs("0", "System.OverflowException", Checked(delegate { return checked(Signed[5] * Signed[5]).ToString(); }), "checked(0x10000 * 0x10000)");
            Expect.Differs("0", "System.OverflowException", Checked(delegate { return checked(Small[2] + 1).ToString(); }), "checked(uint.MaxValue + 1)");
            Expect.Differs("44", "System.OverflowException", Checked(delegate { return checked((byte)Signed[8]).ToString(); }), "checked((byte)300)");
            Expect.Differs("4294967295", "System.OverflowException", Checked(delegate { return checked((uint)Signed[4]).ToString(); }), "checked((uint)-1)");
            Expect.Differs("-2147483648", "System.OverflowException", Checked(delegate { return checked((int)Longs[3]).ToString(); }), "checked((int)0x180000000L)");
            Expect.Differs("-1", "System.OverflowException", Checked(delegate { return checked((int)Small[2]).ToString(); }), "checked((int)0xFFFFFFFFu)");
            Expect.Same("2147483647", Checked(delegate { return checked(Signed[6] + Signed[2]).ToString(); }), "checked(int.MaxValue + 0)");
        }

        [TestMethod]
        public void IntegerDivisionByZeroThrowsAPlainException()
        {
            Expect.Differs("System.Exception", "System.DivideByZeroException", Expect.Thrown(delegate { int x = Signed[7] / Signed[2]; }), "1 / 0");
            Expect.Differs("System.Exception", "System.DivideByZeroException", Expect.Thrown(delegate { int x = Signed[7] % Signed[2]; }), "1 % 0");
            Expect.Differs("System.Exception", "System.DivideByZeroException", Expect.Thrown(delegate { long x = Longs[0] / Signed[2]; }), "long / 0");
            Expect.Differs("System.Exception", "System.DivideByZeroException", Expect.Thrown(delegate { uint x = Small[0] / (uint)Signed[2]; }), "3u / 0u");
            // int.MinValue / -1 is not probed: on the Linux build it kills the interpreter (SIGFPE), see docs/nanoclr.md.
        }

        [TestMethod]
        public void FloatingPointDivisionByZeroThrows()
        {
            Expect.Differs("System.Exception", "none", Expect.Thrown(delegate { double x = Doubles[2] / Signed[2]; }), "1.0 / 0 (.NET: Infinity)");
        }

        [TestMethod]
        public void DoubleToIntOutsideTheRange()
        {
            // ECMA-335 leaves it unspecified; .NET saturates, nanoCLR keeps the low 32 bits.
            Expect.Differs("-64771072", "2147483647", ((int)Doubles[0]).ToString(), "(int)3e10");
            Expect.Same("-2", ((int)Doubles[1]).ToString(), "(int)-2.7 truncates");
        }

        private static string Checked(Func func)
        {
            try
            {
                return func();
            }
            catch (Exception e)
            {
                return e.GetType().FullName;
            }
        }

        private delegate string Func();
    }
}
