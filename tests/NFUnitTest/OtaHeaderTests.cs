using nanoFramework.TestFramework;
using SmartKey.Firmware.Ota;

namespace SmartKey.NFUnitTest
{
    /// <summary>On-target: the MCUboot header's flags are an allow-list (issue 21 item 6).</summary>
    [TestClass]
    public class OtaHeaderTests
    {
        private static byte[] Header(uint flags)
        {
            byte[] b = new byte[32];
            uint magic = ImageFormat.Magic;
            for (int i = 0; i < 4; i++) b[i] = (byte)(magic >> (8 * i));
            b[8] = 32;                                   // header size
            b[12] = 0x00;
            b[13] = 0x10;                                // image size 4096
            for (int i = 0; i < 4; i++) b[16 + i] = (byte)(flags >> (8 * i));
            b[20] = 1;                                   // version 1.0.0
            return b;
        }

        [TestMethod]
        public void OnlyAHeaderWithoutFlagsIsTaken()
        {
            ImageHeader header;
            Assert.AreEqual(OtaError.None, ImageHeader.TryParse(Header(0), 0, 32, 65536, out header), "no flags");
            Assert.AreEqual(4096, header.ImageSize, "image size");
            uint[] refused = new uint[] { 0x1, 0x4, 0x10, 0x20, 0x100, 0x200, 0x400, 0x800, 0xC00, 0x80000000 };
            for (int i = 0; i < refused.Length; i++)
            {
                Assert.AreEqual(OtaError.UnsupportedFlags, ImageHeader.TryParse(Header(refused[i]), 0, 32, 65536, out header), "flags " + refused[i].ToString());
            }
        }
    }
}
