using System;
using System.Text;
using nanoFramework.TestFramework;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>Encoding.UTF8 (valid and invalid input) and BitConverter.</summary>
    [TestClass]
    public class EncodingProbes
    {
        [TestMethod]
        public void Utf8Encodes()
        {
            Expect.Same("10:61c3a9e282acf09f9880", Dump(Encoding.UTF8.GetBytes("a\u00e9\u20ac\ud83d\ude00")), "a, e-acute, euro, an emoji");
            Expect.Same("5:61efbfbd62", Dump(Encoding.UTF8.GetBytes("a\ud800b")), "a lone surrogate becomes U+FFFD");
        }

        [TestMethod]
        public void Utf8DecodesValidTwoAndThreeByteSequences()
        {
            Expect.Same("97.233.", StringProbes.Codes(Decode(0x61, 0xC3, 0xA9)), "a, e-acute");
            Expect.Same("2:97.233.", Encoding.UTF8.GetChars(new byte[] { 0x61, 0xC3, 0xA9 }).Length + ":" + StringProbes.Codes(new string(Encoding.UTF8.GetChars(new byte[] { 0x61, 0xC3, 0xA9 }))), "GetChars");
            Expect.Same("bc", Encoding.UTF8.GetString(new byte[] { 0x61, 0x62, 0x63 }, 1, 2), "an offset and count");
        }

        [TestMethod]
        public void Utf8DecodesInvalidBytesAsReplacementCharacters()
        {
            Expect.Same("97.65533.98.65533.40.65533.", StringProbes.Codes(Decode(0x61, 0xFF, 0x62, 0xC3, 0x28, 0xE2, 0x82)), "a bad lead byte, a broken pair, a truncated triple");
            Expect.Differs("65533.65.", "65533.65533.65.", StringProbes.Codes(Decode(0xC0, 0xAF, 0x41)), "an overlong pair: one U+FFFD (.NET: one per byte)");
        }

        [TestMethod]
        public void Utf8DecodesAFourByteSequenceWrongly()
        {
            Expect.Differs("55357.55357.", "55357.56832.", StringProbes.Codes(Decode(0xF0, 0x9F, 0x98, 0x80)), "U+1F600: the low surrogate is wrong on nanoCLR");
        }

        [TestMethod]
        public void Utf8DecodingStopsAtANulByte()
        {
            Expect.Differs("97.", "97.0.98.", StringProbes.Codes(Decode(0x61, 0x00, 0x62)), "a, NUL, b");
        }

        [TestMethod]
        public void Utf8RangeErrors()
        {
            Expect.Same("System.ArgumentOutOfRangeException", Expect.Thrown(delegate { Encoding.UTF8.GetString(new byte[] { 0x61, 0x62, 0x63 }, 2, 2); }), "count past the end");
        }

        [TestMethod]
        public void BitConverterIsLittleEndian()
        {
            Expect.Same("34120100 0100000001000000 True 67305985 65279 -257",
                Dump(BitConverter.GetBytes(0x11234 + Zero())).Substring(2) + " " + Dump(BitConverter.GetBytes(0x100000001L + Zero())).Substring(2) + " " + BitConverter.IsLittleEndian + " "
                + BitConverter.ToInt32(new byte[] { 1, 2, 3, 4 }, 0) + " " + BitConverter.ToUInt16(new byte[] { 0xFF, 0xFE }, 0) + " " + BitConverter.ToInt16(new byte[] { 0xFF, 0xFE }, 0), "GetBytes/ToInt32/ToUInt16/ToInt16");
            Expect.Same("01-AB", BitConverter.ToString(new byte[] { 1, 0xAB }), "ToString");
            Expect.Same("System.ArgumentException", Expect.Thrown(delegate { BitConverter.ToInt32(new byte[] { 1, 2, 3 }, 0); }), "three bytes for an int");
        }

        private static int Zero()
        {
            return 0;
        }

        private static string Decode(params byte[] bytes)
        {
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        private static string Dump(byte[] bytes)
        {
            string text = bytes.Length.ToString() + ":";
            for (int i = 0; i < bytes.Length; i++) text += "0123456789abcdef"[bytes[i] >> 4].ToString() + "0123456789abcdef"[bytes[i] & 15];
            return text;
        }
    }
}
