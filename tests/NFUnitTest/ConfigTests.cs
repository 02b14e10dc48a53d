using nanoFramework.TestFramework;
using SmartKey.Firmware.Config;
using SmartKey.Firmware.Text;

namespace SmartKey.NFUnitTest
{
    /// <summary>On-target: nf.config parsing and version ordering on the real interpreter.</summary>
    [TestClass]
    public class ConfigTests
    {
        [TestMethod]
        public void VersionsParseAndOrder()
        {
            int major, minor, revision;
            long build;
            Assert.IsTrue(Versions.TryParse("1.2.300.4", out major, out minor, out revision, out build), "parse");
            Assert.AreEqual(300, revision, "revision");
            Assert.IsTrue(Versions.Compare(1, 2, 3, 0, 1, 10, 0, 0) < 0, "order");
            Assert.IsFalse(Versions.TryParse("1.256.0", out major, out minor, out revision, out build), "minor > 255");
        }

        [TestMethod]
        public void MalformedConfigIsRefusedWithItsLine()
        {
            DeviceConfig config;
            ConfigError error;
            Assert.IsFalse(DeviceConfig.TryParse("[firmware]\nversion 1.0.0\n", out config, out error), "malformed");
            Assert.AreEqual(2, error.Line, "line");
        }

        [TestMethod]
        public void HexRoundTrips()
        {
            byte[] data;
            Assert.IsTrue(Hex.TryDecode("00ff10", out data), "decode");
            Assert.AreEqual("00ff10", Hex.Encode(data), "encode");
            Assert.IsFalse(Hex.TryDecode("0g", out data), "bad digit");
        }
    }
}
