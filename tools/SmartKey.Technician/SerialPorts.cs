using System;
using System.IO;
using System.Linq;

namespace SmartKey.Technician;

/// <summary>
/// The lock's USB serial port when --serialport is not given: the first USB serial device present, else the usual
/// first name on this system (an ESP32 board's CP210x or CH340 bridge is /dev/ttyUSB0 on Linux; Windows numbers it
/// COMn, commonly COM3).
/// </summary>
public static class SerialPorts
{
    public static string Default()
    {
        if (OperatingSystem.IsWindows()) return "COM3";
        string[] patterns = OperatingSystem.IsMacOS() ? ["cu.usbserial*", "cu.SLAB_USBtoUART*", "cu.wchusbserial*"] : ["ttyUSB*", "ttyACM*"];
        foreach (string pattern in patterns)
        {
            string? present = Directory.Exists("/dev") ? Directory.GetFiles("/dev", pattern).Order(StringComparer.Ordinal).FirstOrDefault() : null;
            if (present != null) return present;
        }

        return OperatingSystem.IsMacOS() ? "/dev/cu.usbserial-0001" : "/dev/ttyUSB0";
    }

    /// <summary>nanoff's deployment file that copies nf.config to the lock's drive (README, "Device build and flashing", step 3).</summary>
    public static string NfConfigDeployment(string nfConfigPath, string serialPort) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            serialport = serialPort,
            files = new[] { new { DestinationFilePath = "I:\\nf.config", SourceFilePath = Path.GetFullPath(nfConfigPath) } },
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
}
