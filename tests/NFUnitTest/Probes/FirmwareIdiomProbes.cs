using nanoFramework.TestFramework;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Settings;
using SmartKey.Firmware.Telemetry;

namespace SmartKey.NFUnitTest.Probes
{
    /// <summary>
    /// The portable core's own idioms where an interpreter difference could bite, run through the firmware's code: values
    /// read from bytes as unsigned and then used as signed, FNV hashing in uint, negative local times, number formatting
    /// into JSON. The answers are the ones .NET gives (the same probes run there).
    /// </summary>
    [TestClass]
    public class FirmwareIdiomProbes
    {
        private static readonly byte[] MinusTwo = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE };
        private static readonly byte[] AllOnes = { 0xFF, 0xFF, 0xFF, 0xFF };

        [TestMethod]
        public void ASignedReadFromBytesComparesDividesAndPrintsSigned()
        {
            Expect.Same("-2 True -1", Bytes.ReadInt64BigEndian(MinusTwo, 0) + " " + (Bytes.ReadInt64BigEndian(MinusTwo, 0) < 0) + " " + Bytes.ReadInt64BigEndian(MinusTwo, 0) / 2, "ReadInt64BigEndian of -2");
            int offset = (int)Bytes.ReadUInt32LittleEndian(AllOnes, 0);
            Expect.Same("True True", (offset < 0) + " " + IsBefore(offset, 0), "(int)ReadUInt32LittleEndian of 0xFFFFFFFF, as Uplink reads a chunk offset");
            // Whether a reader's result carries the tag is not visible in C#: these end in a byte operand and widen signed.
            Expect.Same("-1 -1", (long)(int)Bytes.ReadUInt32BigEndian(AllOnes, 0) + " " + (long)(int)Bytes.ReadUInt32LittleEndian(AllOnes, 0), "(long)(int) of ReadUInt32BigEndian/LittleEndian of 0xFFFFFFFF");
        }

        [TestMethod]
        public void ASignedReadFromBytesShiftsAndTakesRemaindersUnsigned()
        {
            // ReadInt64BigEndian builds its result from uints: the value keeps the unsigned tag through the return.
            Expect.Differs("9223372036854775807", "-1", (Bytes.ReadInt64BigEndian(MinusTwo, 0) >> 1).ToString(), "ReadInt64BigEndian(-2) >> 1");
            Expect.Differs("2", "-2", (Bytes.ReadInt64BigEndian(MinusTwo, 0) % 3).ToString(), "ReadInt64BigEndian(-2) % 3");
        }

        [TestMethod]
        public void ANegativeTimezoneSurvivesTheSettingsRecord()
        {
            DeviceSettings settings = new DeviceSettings();
            settings.AutoLockDelaySeconds = 30;
            settings.AdvertisingWindowSeconds = 60;
            settings.TimezoneOffsetMinutes = -600;
            settings.LogRetentionDays = 90;
            byte[] encoded = settings.Encode();
            DeviceSettings decoded = DeviceSettings.Decode(encoded, encoded.Length);
            Expect.Same("-600 True", (decoded == null ? "refused" : decoded.TimezoneOffsetMinutes.ToString()) + " " + (decoded != null && decoded.TimezoneOffsetMinutes < 0), "(short)ReadUInt16LittleEndian into an int field");
        }

        [TestMethod]
        public void TheFleetWindowHashIsTheHosts()
        {
            Expect.Same("82770", PowerManager.DailyWindowOffsetFor("SK-000123").ToString(), "FNV-1a in uint, % Day");
        }

        [TestMethod]
        public void AGuestWindowBeforeTheEpochInLocalTime()
        {
            // 1970-01-01 01:00 UTC at UTC-10 is Wednesday 1969-12-31 15:00 local: a negative local time.
            Binding guest = new Binding();
            guest.Role = BindingRole.Guest;
            guest.Days = 1 << 2;
            guest.StartMinute = 14 * 60;
            guest.EndMinute = 16 * 60;
            Expect.Same("True False False", AccessWindow.Allows(guest, 3600, -600) + " " + AccessWindow.Allows(guest, 3600 + 2 * 3600, -600) + " " + AccessWindow.Allows(guest, 3600, 0),
                "inside, two hours later, the same instant in UTC (Thursday 01:00)");
        }

        [TestMethod]
        public void TelemetryJsonFormatsNumbers()
        {
            byte[] status = TelemetryJson.OtaStatus(1, 0, 4096, 1048576);
            Expect.Same("{\"state\":\"downloading\",\"error\":0,\"offset\":4096,\"size\":1048576}", System.Text.Encoding.UTF8.GetString(status, 0, status.Length), "OtaStatus");
            byte[] report = TelemetryJson.Report("SK-\"1\u00e9", "1.2.3", 87, 3012, SmartKey.Firmware.Battery.BatteryState.Low, null);
            Expect.Same("{\"serial\":\"SK-\\\"1\",\"firmware\":\"1.2.3\",\"battery\":{\"percent\":87,\"millivolts\":3012,\"state\":\"low\"}}", System.Text.Encoding.UTF8.GetString(report, 0, report.Length), "Report");
        }

        private static bool IsBefore(int offset, int current)
        {
            return offset < current;
        }
    }
}
