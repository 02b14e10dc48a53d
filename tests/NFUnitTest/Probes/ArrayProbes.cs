using System;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>Array.Copy (overlapping, across element types), Array.Clear, Clone and the errors arrays raise.</summary>
    [TestClass]
    public class ArrayProbes
    {
        private static readonly int[] Ints = { 1, -1, 2 };

        [TestMethod]
        public void OverlappingCopiesBehaveAsMemmove()
        {
            byte[] forward = { 1, 2, 3, 4, 5 };
            Array.Copy(forward, 0, forward, 1, 4);
            Expect.Same("1.1.2.3.4.", Dump(forward), "copy up by one");
            byte[] back = { 1, 2, 3, 4, 5 };
            Array.Copy(back, 1, back, 0, 4);
            Expect.Same("2.3.4.5.5.", Dump(back), "copy down by one");
        }

        [TestMethod]
        public void CopyDoesNotWidenElements()
        {
            Expect.Differs("System.InvalidCastException", "none", Expect.Thrown(delegate { Array.Copy(new int[] { 1, 2 }, new long[2], 2); }), "int[] into long[] (.NET widens)");
        }

        [TestMethod]
        public void CopyAndClearRangeErrors()
        {
            Expect.Differs("System.ArgumentOutOfRangeException", "System.ArgumentException", Expect.Thrown(delegate { byte[] a = { 1, 2, 3 }; Array.Copy(a, 0, a, 1, 3); }), "copy past the end");
            Expect.Same("System.ArgumentOutOfRangeException", Expect.Thrown(delegate { byte[] a = { 1, 2, 3 }; Array.Copy(a, Ints[1], a, 1, 1); }), "a negative index");
            Expect.Differs("System.NullReferenceException", "System.ArgumentNullException", Expect.Thrown(delegate { Array.Copy(null, new byte[1], 1); }), "a null source");
            Expect.Differs("System.ArgumentOutOfRangeException", "System.IndexOutOfRangeException", Expect.Thrown(delegate { Array.Clear(new byte[3], 1, 5); }), "Clear past the end");
        }

        [TestMethod]
        public void ElementAccessAndCreationErrors()
        {
            Expect.Same("System.IndexOutOfRangeException", Expect.Thrown(delegate { int[] a = new int[2]; int x = a[Ints[2]]; }), "index 2 of 2");
            Expect.Differs("System.ArgumentOutOfRangeException", "System.OverflowException", Expect.Thrown(delegate { int[] a = new int[Ints[1]]; }), "new int[-1]");
            Expect.Differs("System.Exception", "System.ArrayTypeMismatchException", Expect.Thrown(delegate { object[] a = new string[1]; a[0] = Ints[0]; }), "an int into a string[] seen as object[]");
        }

        [TestMethod]
        public void CloneIndexOfAndDefaults()
        {
            byte[] a = { 1, 2 };
            byte[] b = (byte[])a.Clone();
            b[0] = 9;
            ProbePoint[] points = new ProbePoint[1];
            Expect.Same("1 1 0", a[0] + " " + Array.IndexOf(new object[] { "a", "b" }, "b") + " " + points[0].X, "Clone copies, IndexOf, default struct element");
        }

        private static string Dump(byte[] bytes)
        {
            string text = "";
            for (int i = 0; i < bytes.Length; i++) text += bytes[i].ToString() + ".";
            return text;
        }
    }
}
