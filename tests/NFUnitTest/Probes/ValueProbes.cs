using System.Collections;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    public struct ProbePoint
    {
        public int X;
        public int Y;

        public override string ToString()
        {
            return X.ToString() + "," + Y.ToString();
        }
    }

    public sealed class ProbeKey
    {
        public int A;

        public override bool Equals(object other)
        {
            return other is ProbeKey && ((ProbeKey)other).A == A;
        }

        public override int GetHashCode()
        {
            return A;
        }
    }

    public static class ProbeStatics
    {
        public static string Log = "";
        public static int Value = Init();

        static ProbeStatics()
        {
            Log += "cctor;";
        }

        private static int Init()
        {
            Log += "field;";
            return 1;
        }
    }

    /// <summary>Struct copies, static constructors, boxing, Equals and GetHashCode, switch on strings and other values.</summary>
    [TestClass]
    public class ValueProbes
    {
        private static readonly int[] Ints = { 1, 2, 5 };

        [TestMethod]
        public void StructsCopyOnAssignmentArrayReadAndBoxing()
        {
            ProbePoint a;
            a.X = 1;
            a.Y = 2;
            ProbePoint b = a;
            b.X = 9;
            ProbePoint[] array = { a };
            ProbePoint c = array[0];
            c.Y = 7;
            ArrayList list = new ArrayList();
            list.Add(a);
            a.X = 5;
            Expect.Same("5,2 9,2 1,2 1,2", a + " " + b + " " + array[0] + " " + list[0], "copies");
        }

        [TestMethod]
        public void StaticFieldInitializersRunBeforeTheStaticConstructor()
        {
            string before = ProbeStatics.Log;
            int value = ProbeStatics.Value;
            Expect.Same("field;cctor;1", ProbeStatics.Log + value, "order");
            Expect.Same(ProbeStatics.Log, before, "a static class without beforefieldinit runs its initializers at first access");
        }

        [TestMethod]
        public void BoxedEquality()
        {
            object a = Ints[2], b = Ints[2];
            Expect.Same("True False False False True", a.Equals(b) + " " + (a == b) + " " + a.Equals(5L) + " " + ((object)5u).Equals(Ints[2]) + " " + ((object)5u).Equals(5u), "boxed int Equals, ==, across types");
            ProbePoint p;
            p.X = 1;
            p.Y = 2;
            ProbePoint q = p;
            ProbePoint r = p;
            r.Y = 3;
            Expect.Same("True False", ((object)p).Equals(q) + " " + ((object)p).Equals(r), "boxed struct Equals compares fields");
        }

        [TestMethod]
        public void EqualBoxedStructsHashDifferently()
        {
            ProbePoint p;
            p.X = Ints[0];
            p.Y = Ints[1];
            ProbePoint q = p;
            Expect.Differs("False", "True", (((object)p).GetHashCode() == ((object)q).GetHashCode()).ToString(), "equal boxed structs, equal hash codes");
        }

        [TestMethod]
        public void HashCodesOfPrimitives()
        {
            Expect.Same("5 -1 5 1 0 7 6357089 -2", ((object)Ints[2]).GetHashCode() + " " + (-Ints[0]).GetHashCode() + " " + ((long)Ints[2]).GetHashCode() + " " + true.GetHashCode() + " "
                + (1L << 32 | 1).GetHashCode() + " " + ((byte)7).GetHashCode() + " " + 'a'.GetHashCode() + " " + (-Ints[1]).GetHashCode(), "int, long, bool, byte, char");
            Expect.Same("True", (("ab" + Ints[0]).GetHashCode() == "ab1".GetHashCode()).ToString(), "equal strings hash equal");
        }

        [TestMethod]
        public void SwitchOnStrings()
        {
            string seen = "";
            string[] words = { "status", "diag", "provision", "x", "STATUS" };
            for (int i = 0; i < words.Length; i++)
            {
                switch (words[i])
                {
                    case "status": seen += "1"; break;
                    case "diag": seen += "2"; break;
                    case "provision": seen += "3"; break;
                    default: seen += "d"; break;
                }
            }

            Expect.Same("123dd", seen, "a few cases (compared one by one)");
            seen = "";
            string[] letters = { "a", "b", "c", "d", "e", "f", "g", "h", "zz" };
            for (int i = 0; i < letters.Length; i++) seen += Many(letters[i]);
            Expect.Same("123456780", seen, "many cases (hashed)");
            Expect.Same("d", Many(null), "a null string");
        }

        [TestMethod]
        public void SwitchOnLongsAndPatterns()
        {
            long big = 0x180000000 + Ints[0] - 1;
            string name;
            switch (big)
            {
                case 0x180000000: name = "big"; break;
                default: name = "other"; break;
            }

            object boxed = Ints[1];
            Expect.Same("big True False two", name + " " + (boxed is int k && k == 2) + " " + (boxed is long) + " " + (Ints[1] switch { 1 => "one", 2 => "two", _ => "many" }), "switch, is, switch expression");
        }

        [TestMethod]
        public void TypeNamesAndObjectToString()
        {
            Expect.Same("System.Object SmartKey.NFUnitTest.Probes.ProbeKey System.Int32[] ProbePoint Int32 System.Int32",
                new object().ToString() + " " + new ProbeKey().ToString() + " " + new int[0].ToString() + " " + typeof(ProbePoint).Name + " " + typeof(int).Name + " " + Ints[0].GetType().FullName, "names");
        }

        [TestMethod]
        public void ClosuresAndDelegates()
        {
            ProbeText[] perLoop = new ProbeText[3];
            for (int i = 0; i < 3; i++)
            {
                int j = i;
                perLoop[i] = delegate { return j.ToString(); };
            }

            ProbeText[] perItem = new ProbeText[3];
            int n = 0;
            foreach (int item in new int[] { 1, 2, 3 }) perItem[n++] = delegate { return item.ToString(); };
            string[] log = { "" };
            ProbeText a = delegate { log[0] += "a"; return "A"; };
            ProbeText b = delegate { log[0] += "b"; return "B"; };
            ProbeText both = a + b;
            string last = both();
            Expect.Same("012 123 Bab", perLoop[0]() + perLoop[1]() + perLoop[2]() + " " + perItem[0]() + perItem[1]() + perItem[2]() + " " + last + log[0], "captures, combined delegates");
        }

        private static string Many(string letter)
        {
            switch (letter)
            {
                case "a": return "1";
                case "b": return "2";
                case "c": return "3";
                case "d": return "4";
                case "e": return "5";
                case "f": return "6";
                case "g": return "7";
                case "h": return "8";
                default: return letter == null ? "d" : "0";
            }
        }
    }

    public delegate string ProbeText();
}
