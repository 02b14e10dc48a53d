using System.IO;
using SmartKey.Firmware.Config;
using Xunit;

namespace SmartKey.Tests.Config;

/// <summary>The repository's nf.config is what devices get: it must parse, and a wrong value must be refused by line.</summary>
public class NfConfigTests
{
    private static string RepoConfig => File.ReadAllText(Path.Combine(RepoPaths.Root, "nf.config"));

    [Fact]
    public void RepositoryConfigParses()
    {
        Assert.True(DeviceConfig.TryParse(RepoConfig, out var config, out var error), error?.ToString());
        Assert.Equal("ESP32_BLE_REV3", config.NanoffTarget);
        Assert.InRange(config.BatteryAdcChannel, 0, 7);
        Assert.Equal(64, config.FlashSectors);
    }

    [Fact]
    public void SimulatorEmbedsTheRepositoryConfig() =>
        Assert.Equal(RepoConfig, SmartKey.Simulator.EmbeddedConfig.Text());

    [Theory]
    [InlineData("adc_channel = 6", "adc_channel = 9", "battery.adc_channel")]          // ADC2: unusable with Wi-Fi
    [InlineData("motor_b = 26", "motor_b = 25", "already used by pins.motor_a")]       // a pin used twice
    [InlineData("led = 2", "led = 36", "input-only")]                                   // output on an input-only pin
    [InlineData("motor_a = 25", "motor_a = 7", "SPI flash")]                            // a flash pin
    [InlineData("button = 33", "button = 22", "cannot wake")]                           // not an RTC GPIO
    [InlineData("divider_bottom_ohms = 47000", "divider_bottom_ohms = 0", "divider_bottom_ohms")]
    [InlineData("nanoff_target = ESP32_BLE_REV3", "nanoff_target = ESP32_WROOM", "nanoff_target")]
    [InlineData("chemistry = alkaline_4aa", "chemistry = nicd", "chemistry")]
    [InlineData("critical_percent = 8", "critical_percent = 25", "below battery.low_percent")]
    [InlineData("service_uuid = 5a4b0001-8f2e-4c1a-9d3b-5e7f10a2c001", "service_uuid = 5a4b0001-8f2e-4c1a-9d3b", "not a UUID")]
    [InlineData("version = 1.0.0", "version = 1.0.x", "not a version")]
    [InlineData("port = 8883", "port = eighty", "not an integer")]
    [InlineData("[mqtt]", "[mqtt", "malformed section")]
    [InlineData("host = 127.0.0.1", "host 127.0.0.1", "expected 'key = value'")]
    public void WrongValueIsRefusedWithItsLine(string good, string bad, string expected)
    {
        string text = RepoConfig;
        Assert.Contains(good, text);
        string broken = text.Replace(good, bad);
        Assert.False(DeviceConfig.TryParse(broken, out _, out var error));
        Assert.Contains(expected, error.ToString());
        int badLine = System.Array.FindIndex(broken.Split('\n'), l => l.Contains(bad)) + 1;
        Assert.Equal(badLine, error.Line);
    }

    [Fact]
    public void MissingKeyIsNamed()
    {
        string text = RepoConfig.Replace("hardware_id = smartkey-esp32-v1\n", "");
        Assert.False(DeviceConfig.TryParse(text, out _, out var error));
        Assert.Contains("firmware.hardware_id: missing", error.ToString());
    }
}
