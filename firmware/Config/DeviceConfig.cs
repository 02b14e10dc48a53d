namespace SmartKey.Firmware.Config
{
    /// <summary>
    /// The validated settings of one device, read from nf.config. Every value is range-checked so a
    /// typo (an ADC2 channel, a pin used twice, a divider of zero) is refused at boot and in host tests.
    /// </summary>
    public sealed class DeviceConfig
    {
        public string FirmwareVersion;
        public string NanoffTarget;
        public string NanoffFirmwareVersion;
        public string HardwareId;

        public int MotorPinA;
        public int MotorPinB;
        public int LockedEndStopPin;
        public int UnlockedEndStopPin;
        /// <summary>-1 when the lock has no door contact.</summary>
        public int DoorContactPin;
        public int ButtonPin;
        public int LedPin;

        public int MotorTimeoutMs;
        public int AutoLockDelaySeconds;

        public int BatteryAdcChannel;
        public int AdcFullScaleMillivolts;
        public int DividerTopOhms;
        public int DividerBottomOhms;
        public int CalibrationOffsetMillivolts;
        public int CalibrationGainPermille;
        public string BatteryChemistry;
        public int BatteryLowPercent;
        public int BatteryCriticalPercent;
        public int BatteryHysteresisPercent;

        public string BleName;
        public string BleServiceUuid;
        public string BleWriteUuid;
        public string BleNotifyUuid;
        public int AdvertisingWindowSeconds;

        public string MqttHost;
        public int MqttPort;
        public string MqttTopicPrefix;

        public int FlashSectors;
        public int FlashSectorSize;
        public int MaxBindings;
        public int LogMaxEntries;
        public int LogMaxAgeDays;

        public static readonly string[] Chemistries = new string[] { "alkaline_4aa", "lithium_2cr123a", "liion_1s" };

        public static bool TryParse(string text, out DeviceConfig config, out ConfigError error)
        {
            config = null;
            ConfigDocument doc;
            if (!ConfigDocument.TryParse(text, out doc, out error))
            {
                return false;
            }

            var reader = new ConfigReader(doc);
            var c = new DeviceConfig();
            c.FirmwareVersion = reader.Version("firmware.version");
            c.NanoffTarget = reader.OneOf("firmware.nanoff_target", new string[] { "ESP32_BLE_REV3", "ESP32_BLE_REV0", "ESP32_S3_BLE" });
            c.NanoffFirmwareVersion = reader.Version("firmware.nanoff_firmware_version");
            c.HardwareId = reader.Text("firmware.hardware_id", 1, 32);

            c.MotorPinA = reader.OutputPin("pins.motor_a");
            c.MotorPinB = reader.OutputPin("pins.motor_b");
            c.LockedEndStopPin = reader.InputPin("pins.locked_end_stop");
            c.UnlockedEndStopPin = reader.InputPin("pins.unlocked_end_stop");
            c.DoorContactPin = reader.Contains("pins.door_contact") ? reader.WakePin("pins.door_contact") : -1;
            c.ButtonPin = reader.WakePin("pins.button");
            c.LedPin = reader.OutputPin("pins.led");
            reader.Distinct(new string[] { "pins.motor_a", "pins.motor_b", "pins.locked_end_stop", "pins.unlocked_end_stop", "pins.door_contact", "pins.button", "pins.led" });

            c.MotorTimeoutMs = reader.Integer("lock.motor_timeout_ms", 200, 20000);
            c.AutoLockDelaySeconds = reader.Integer("lock.auto_lock_delay_s", 0, 3600);

            // ADC2 is unusable while Wi-Fi runs: only ADC1 channels 0-7 (GPIO 36, 37, 38, 39, 32, 33, 34, 35).
            c.BatteryAdcChannel = reader.Integer("battery.adc_channel", 0, 7);
            c.AdcFullScaleMillivolts = reader.Integer("battery.adc_full_scale_mv", 1000, 3900);
            c.DividerTopOhms = reader.Integer("battery.divider_top_ohms", 0, 10000000);
            c.DividerBottomOhms = reader.Integer("battery.divider_bottom_ohms", 1, 10000000);
            c.CalibrationOffsetMillivolts = reader.Integer("battery.calibration_offset_mv", -500, 500);
            c.CalibrationGainPermille = reader.Integer("battery.calibration_gain_permille", 800, 1200);
            c.BatteryChemistry = reader.OneOf("battery.chemistry", Chemistries);
            c.BatteryLowPercent = reader.Integer("battery.low_percent", 5, 50);
            c.BatteryCriticalPercent = reader.Integer("battery.critical_percent", 1, 30);
            c.BatteryHysteresisPercent = reader.Integer("battery.hysteresis_percent", 1, 10);
            if (reader.Ok && c.BatteryCriticalPercent >= c.BatteryLowPercent)
            {
                reader.Fail("battery.critical_percent", "must be below battery.low_percent");
            }

            c.BleName = reader.Text("ble.name", 1, 12);
            c.BleServiceUuid = reader.Uuid("ble.service_uuid");
            c.BleWriteUuid = reader.Uuid("ble.write_uuid");
            c.BleNotifyUuid = reader.Uuid("ble.notify_uuid");
            c.AdvertisingWindowSeconds = reader.Integer("ble.advertising_window_s", 5, 600);

            c.MqttHost = reader.Text("mqtt.host", 1, 253);
            c.MqttPort = reader.Integer("mqtt.port", 1, 65535);
            c.MqttTopicPrefix = reader.Text("mqtt.topic_prefix", 1, 64);

            c.FlashSectors = reader.Integer("storage.flash_sectors", 8, 64);
            c.FlashSectorSize = reader.Integer("storage.flash_sector_size", 512, 65536);
            c.MaxBindings = reader.Integer("storage.max_bindings", 1, 64);
            c.LogMaxEntries = reader.Integer("storage.log_max_entries", 16, 10000);
            c.LogMaxAgeDays = reader.Integer("storage.log_max_age_days", 1, 3650);

            if (!reader.Ok)
            {
                error = reader.Error;
                return false;
            }

            config = c;
            return true;
        }

        /// <summary>Total divider ratio as a fraction: battery mV = pin mV × (top + bottom) / bottom.</summary>
        public int DividerNumerator
        {
            get { return DividerTopOhms + DividerBottomOhms; }
        }
    }
}
