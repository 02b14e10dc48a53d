using System.Text;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>String operations the portable code uses (config parsing, the console, JSON) and their edge cases.</summary>
    [TestClass]
    public class StringProbes
    {
        private static readonly int[] Ints = { 1, 2, -7 };

        [TestMethod]
        public void SubstringAndItsRangeErrors()
        {
            Expect.Same("ell 0", "hello".Substring(1, 3) + " " + "hello".Substring(5).Length, "Substring");
            Expect.Same("System.ArgumentOutOfRangeException", Expect.Thrown(delegate { "hello".Substring(6); }), "Substring(6) of 5 chars");
            Expect.Same("System.ArgumentOutOfRangeException", Expect.Thrown(delegate { "hello".Substring(2, 4); }), "Substring(2, 4) of 5 chars");
        }

        [TestMethod]
        public void IndexOf()
        {
            Expect.Same("1 3 -1 3 2 3 -1 1", "a=b=c".IndexOf('=') + " " + "a=b=c".IndexOf("=c") + " " + "abc".IndexOf('x') + " " + "a=b=c".LastIndexOf('=') + " "
                + "abc".IndexOf('c', 1) + " " + "aXbX".IndexOf("X", 2) + " " + "abc".IndexOf('a', 3) + " " + "abc".IndexOf("bc", 1, 2), "IndexOf");
        }

        [TestMethod]
        public void IndexOfTheEmptyString()
        {
            Expect.Differs("System.ArgumentOutOfRangeException", "none", Expect.Thrown(delegate { "abc".IndexOf(""); }), "\"abc\".IndexOf(\"\") (.NET: 0)");
            Expect.Differs("-1", "0", "".IndexOf("").ToString(), "\"\".IndexOf(\"\")");
            Expect.Same("True True True", "abc".Contains("") + " " + "abc".StartsWith("") + " " + "abc".EndsWith(""), "Contains/StartsWith/EndsWith of \"\"");
        }

        [TestMethod]
        public void Split()
        {
            Expect.Same("4:a||b|", Joined("a,,b,".Split(new char[] { ',' })), "empty parts are kept");
            Expect.Same("3:a|b|c", Joined("a b\tc".Split(new char[] { ' ', '\t' })), "several separators");
            Expect.Same("1:", Joined("".Split(new char[] { ',' })), "the empty string");
            Expect.Same("2:a|b,c", Joined("a,b,c".Split(new char[] { ',' }, 2)), "with a count");
        }

        [TestMethod]
        public void Trim()
        {
            Expect.Same("[x y][x ][  x][a][x]", "[" + " \t x y \r\n".Trim() + "][" + "  x ".TrimStart() + "][" + "  x ".TrimEnd() + "][" + "xxaxx".Trim(new char[] { 'x' }) + "][" + "\u00a0x\u00a0".Trim() + "]", "Trim");
        }

        [TestMethod]
        public void CompareIsOrdinalAndReturnsTheDifference()
        {
            Expect.Differs("31", "-1", string.Compare("a", "B").ToString(), "Compare(\"a\", \"B\"): ordinal 'a' - 'B'; .NET compares by culture");
            Expect.Differs("-7", "1", string.Compare("Z", "a").ToString(), "Compare(\"Z\", \"a\")");
            Expect.Differs("99", "1", string.Compare("abc", "ab").ToString(), "Compare(\"abc\", \"ab\")");
            Expect.Same("-1 -1 1 0 True False", string.Compare("a", "b") + " " + "a".CompareTo("b") + " " + "b".CompareTo("a") + " " + string.Compare(null, null) + " " + ("a" == "a") + " " + "A".Equals("a"), "signs that agree");
        }

        [TestMethod]
        public void CaseMappingIsAsciiOnly()
        {
            Expect.Same("abc ABC", "AbC".ToLower() + " " + "abc".ToUpper(), "ASCII");
            Expect.Differs("\u00c9 \u00e9", "\u00e9 \u00c9", "\u00c9".ToLower() + " " + "\u00e9".ToUpper(), "\u00c9/\u00e9");
        }

        [TestMethod]
        public void EqualStringsAreTheSameReference()
        {
            object a = new string('a', Ints[1]);
            object b = new string('a', Ints[1]);
            Expect.Differs("True True", "False False", (a == b) + " " + object.ReferenceEquals(a, b), "two strings built apart: == on object, ReferenceEquals");
        }

        [TestMethod]
        public void AStringArraysUnsetElementIsAStrangeNull()
        {
            // newarr string[]: an element never stored is null for brtrue/brfalse (if, ??, Length), not for ceq (==, is null,
            // Equals). Comparing it with a string (== "x", switch) crashes nanoCLR, so that is not probed here.
            string[] unset = new string[Ints[0]];
            Expect.Differs("False", "True", (unset[0] == null).ToString(), "unset[0] == null");
            Expect.Differs("False", "True", (unset[0] is null).ToString(), "unset[0] is null");
            Expect.Differs("False", "True", object.Equals(unset[0], null).ToString(), "object.Equals(unset[0], null)");
            int branch = 0;
            if (unset[0] == null) branch = 1;
            Expect.Same("1 dflt True []", branch + " " + (unset[0] ?? "dflt") + " " + string.IsNullOrEmpty(unset[0]) + " [" + unset[0] + "]", "if (== null), ??, IsNullOrEmpty, concatenation");
            Expect.Same("System.NullReferenceException", Expect.Thrown(delegate { int n = unset[0].Length; }), "unset[0].Length");
            unset[0] = null;
            Expect.Same("True", (unset[0] == null).ToString(), "after storing null explicitly");
            object[] objects = new object[Ints[0]];
            Expect.Same("True", (objects[0] == null).ToString(), "an object[] element is an ordinary null");
        }

        [TestMethod]
        public void StringBuilder()
        {
            StringBuilder sb = new StringBuilder(4);
            sb.Append("ab").Append(Ints[2]).Append('c').Append(true).Append(uint.MaxValue).Append(long.MinValue);
            sb.Remove(1, 1);
            sb.Replace("b", "B");
            Expect.Same("a-7cTrue4294967295-9223372036854775808 38", sb.ToString() + " " + sb.Length, "Append, Remove, Replace");
            StringBuilder empty = new StringBuilder("abc");
            empty.Clear();
            empty.Append((string)null);
            Expect.Same("[]0", "[" + empty.ToString() + "]" + empty.Length, "Clear, Append(null)");
        }

        [TestMethod]
        public void AppendLineEndsWithCrLf()
        {
            StringBuilder sb = new StringBuilder();
            sb.AppendLine("x");
            Expect.Differs("120.13.10.", "120.10.", Codes(sb.ToString()), "AppendLine (.NET on Linux: Environment.NewLine = \\n)");
        }

        [TestMethod]
        public void OtherHelpers()
        {
            Expect.Same("007 [7  ] xxxab 3 b True True", "7".PadLeft(3, '0') + " [" + "7".PadRight(3) + "] " + new string('x', 3) + new string(new char[] { 'a', 'b' }) + " "
                + "abc".ToCharArray().Length + " " + "abc".ToCharArray(1, 2)[0] + " " + "hello".StartsWith("he") + " " + "hello".EndsWith("lo"), "PadLeft, PadRight, new string, ToCharArray, StartsWith");
            Expect.Differs("System.ArgumentOutOfRangeException", "System.IndexOutOfRangeException", Expect.Thrown(delegate { char c = "abc"[Ints[0] + 2]; }), "\"abc\"[3]");
        }

        internal static string Joined(string[] parts)
        {
            string text = parts.Length.ToString() + ":";
            for (int i = 0; i < parts.Length; i++) text += (i > 0 ? "|" : "") + parts[i];
            return text;
        }

        internal static string Codes(string text)
        {
            string codes = "";
            for (int i = 0; i < text.Length; i++) codes += ((int)text[i]).ToString() + ".";
            return codes;
        }
    }
}
