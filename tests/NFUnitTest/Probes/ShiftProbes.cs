using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>
    /// Right shifts on nanoCLR: shr is arithmetic or logical by a type tag the interpreter keeps with each value, not by
    /// the IL (docs/nanoclr.md, "shr"). Operands come from arrays so that the compiler folds nothing; each shift is in the
    /// expression itself, since whether a local keeps the value (and so re-tags it) is the C# optimizer's choice.
    /// </summary>
    [TestClass]
    public class ShiftProbes
    {
        private static readonly uint[] Small = { 3, 5, 0xFFFFFFFF };
        private static readonly int[] Signed = { -8, 3, 5 };
        private static readonly ulong[] Wide = { 0xFFFFFFFFFFFFFFFE };
        private static readonly byte[] Bytes = { 0xC8, 0x88, 0xFF };
        private static long _field;
        private static int _intField;

        [TestMethod]
        public void ALongDifferenceOfUintsShiftsInZeros()
        {
            Expect.Differs("00000000ffffffff", "ffffffffffffffff", Expect.Hex(((long)Small[0] - Small[1]) >> 32), "((long)x - y) >> 32, uint x=3 y=5");
            Expect.Differs("00000000ffffffff", "ffffffffffffffff", Expect.Hex(((long)Small[0] - (long)Small[1]) >> 32), "((long)x - (long)y) >> 32");
        }

        [TestMethod]
        public void AnIntDifferenceOfUintsShiftsInZeros()
        {
            Expect.Differs("0000000000000001", "ffffffffffffffff", Expect.Hex((int)(Small[0] - Small[1]) >> 31), "(int)(x - y) >> 31");
            Expect.Differs("000000007fffffff", "ffffffffffffffff", Expect.Hex((int)Small[2] >> 1), "(int)0xFFFFFFFFu >> 1");
        }

        [TestMethod]
        public void TheTagSurvivesParametersAndReturnValues()
        {
            Expect.Differs("00000000ffffffff", "ffffffffffffffff", Expect.Hex(ShiftRight((long)Small[0] - Small[1], 32)), "through a long parameter");
            Expect.Differs("00000000ffffffff", "ffffffffffffffff", Expect.Hex(Identity((long)Small[0] - Small[1]) >> 32), "through a return value");
        }

        [TestMethod]
        public void AUlongCastToLongShiftsInZeros()
        {
            Expect.Differs("7fffffffffffffff", "ffffffffffffffff", Expect.Hex((long)Wide[0] >> 1), "(long)0xFFFFFFFFFFFFFFFE >> 1");
        }

        [TestMethod]
        public void AStoreToAFieldOrArrayElementMakesItSigned()
        {
            _field = (long)Small[0] - Small[1];
            Expect.Same("ffffffffffffffff", Expect.Hex(_field >> 32), "through a static long field");
            _intField = (int)(Small[0] - Small[1]);
            Expect.Same("ffffffffffffffff", Expect.Hex(_intField >> 31), "through a static int field");
            int[] cell = new int[1];
            cell[0] = (int)Small[2];
            Expect.Same("ffffffffffffffff", Expect.Hex(cell[0] >> 1), "through an int[] element");
        }

        [TestMethod]
        public void ASignedCastThatEmitsIlShiftsArithmetically()
        {
            // conv.i1/conv.i2 re-tag the value: a (short) or (sbyte) cast of an unsigned read is signed again.
            Expect.Same("ffffffffffffffc4", Expect.Hex((short)(ushort)(Bytes[1] | (Bytes[2] << 8)) >> 1), "(short)0xFF88 >> 1");
            Expect.Same("ffffffffffffffe4", Expect.Hex((sbyte)Bytes[0] >> 1), "(sbyte)0xC8 >> 1");
        }

        [TestMethod]
        public void SignedOperandsShiftArithmetically()
        {
            Expect.Same("fffffffffffffffc", Expect.Hex(Signed[0] >> 1), "-8 >> 1 from int[]");
            Expect.Same("ffffffffffffffff", Expect.Hex((Signed[1] - Signed[2]) >> 31), "(3 - 5) >> 31 on ints");
            Expect.Same("ffffffffffffffff", Expect.Hex(((long)Signed[1] - Signed[2]) >> 32), "((long)3 - 5) >> 32 on ints");
            // A byte is unsigned, but int shl gives a signed result: the sign-extension idiom works.
            Expect.Same("ffffffffffffffc8", Expect.Hex((Bytes[0] << 24) >> 24), "(b << 24) >> 24, b = 0xC8");
        }

        [TestMethod]
        public void ShiftCountsAreMaskedToTheWidth()
        {
            int count = Signed[1] + 30;   // 33
            Expect.Same("0000000000000002", Expect.Hex(1 << count), "1 << 33 (int)");
            Expect.Same("0000000000000002", Expect.Hex(1L << (count + 32)), "1L << 65 (long)");
            Expect.Same("ffffffff80000000", Expect.Hex(1 << (Signed[1] - 4)), "1 << -1 (int)");
            Expect.Same("ffffffffffffffff", Expect.Hex(Signed[0] >> (count + 30)), "-8 >> 63 (int: count masked to 31)");
        }

        [TestMethod]
        public void UnsignedRightShiftsAreLogical()
        {
            Expect.Same("000000007fffffff", Expect.Hex((Small[0] - Small[1]) >> 1), "(uint)(3 - 5) >> 1");
            Expect.Same("7fffffffffffffff", Expect.Hex((long)(Wide[0] >> 1)), "ulong >> 1");
        }

        private static long ShiftRight(long value, int count)
        {
            return value >> count;
        }

        private static long Identity(long value)
        {
            return value;
        }
    }
}
