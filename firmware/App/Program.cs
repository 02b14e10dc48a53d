using System;
using System.Device.Gpio;
using System.IO;
using System.Threading;
using SmartKey.Firmware.Boot;
using SmartKey.Firmware.Config;
using SmartKey.Hal;
using SmartKey.Hal.Esp32;

namespace SmartKey.App
{
    /// <summary>
    /// Device entry point: reads nf.config from the internal drive, builds the ESP32 hal bundle and boots
    /// the same core the simulator runs (SmartKeyDevice is the one composition root).
    /// </summary>
    public static class Program
    {
        private const string ConfigPath = "I:\\nf.config";
        private const string FlashPath = "I:\\smartkey.store";
        private const string BrokerCaPath = "I:\\mqtt-ca.der";
        private const string ServiceLinesPath = "I:\\service.txt";

        public static void Main()
        {
            DeviceConfig config;
            ConfigError error;
            if (!DeviceConfig.TryParse(File.ReadAllText(ConfigPath), out config, out error))
            {
                Console.WriteLine("SmartKey: refusing to start: " + error.ToString());
                Thread.Sleep(Timeout.Infinite);
                return;
            }

            HalBundle hal = BuildHal(config);
            SmartKeyDevice device = new SmartKeyDevice(hal, config);
            device.Boot();
            Console.WriteLine("SmartKey: " + device.Status.Snapshot().ToString());

            // Technician lines deployed with nanoff (provision, status, diag) run once, in the first Poll;
            // answers go to the console. The file goes before they run, so a sleep or reset cannot loop on it
            // (a power cut in between loses the lines, never half-applies them: provisioning is one record).
            if (((Esp32SerialConsole)hal.Console).FeedFile(ServiceLinesPath))
            {
                File.Delete(ServiceLinesPath);
            }

            // The main loop: Poll never blocks; deep sleep (inside Poll) restarts the runtime from Main.
            while (device.Poll())
            {
                Thread.Sleep(10);
            }
        }

        private static HalBundle BuildHal(DeviceConfig config)
        {
            GpioController gpio = new GpioController();
            Esp32Clock clock = new Esp32Clock();
            HalBundle hal = new HalBundle();
            hal.Clock = clock;
            hal.RealTimeClock = clock;
            // BLE first: the hardware RNG behind Esp32Entropy is truly random only with a radio on.
            hal.Ble = new Esp32BlePeripheral(config.BleName, new Guid(config.BleServiceUuid), new Guid(config.BleWriteUuid), new Guid(config.BleNotifyUuid));
            hal.Entropy = new Esp32Entropy();
            hal.Flash = new Esp32FileFlash(FlashPath, config.FlashSectorSize, config.FlashSectors);
            hal.Motor = new Esp32HBridgeMotor(gpio, config.MotorPinA, config.MotorPinB);
            hal.LockedEndStop = new Esp32GpioInput(gpio, config.LockedEndStopPin, true, 10);
            hal.UnlockedEndStop = new Esp32GpioInput(gpio, config.UnlockedEndStopPin, true, 10);
            hal.DoorSensor = config.DoorContactPin >= 0 ? new Esp32GpioInput(gpio, config.DoorContactPin, true, 50) : null;
            hal.Button = new Esp32GpioInput(gpio, config.ButtonPin, true, 30);
            hal.Led = new Esp32Led(gpio, config.LedPin);
            hal.BatteryAdc = new Esp32BatteryAdc(config.BatteryAdcChannel);
            hal.Console = new Esp32SerialConsole();
            // The broker's CA certificate (DER) is deployed with nf.config at provisioning.
            hal.Mqtt = new Esp32MqttLink(config.MqttHost, config.MqttPort, File.Exists(BrokerCaPath) ? File.ReadAllBytes(BrokerCaPath) : null);
            hal.FirmwareSlots = new Esp32FirmwareSlots();
            hal.Aes = new Esp32AesBlock();
            hal.Hmac = new Esp32HmacSha256();
            hal.Power = new Esp32Power(config.ButtonPin, config.DoorContactPin);
            return hal;
        }
    }
}
