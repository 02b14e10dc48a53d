using SmartKey.Firmware.Text;

namespace SmartKey.Firmware.Config
{
    /// <summary>Typed, range-checked reads from a ConfigDocument; keeps the first error and ignores the rest.</summary>
    internal sealed class ConfigReader
    {
        // GPIOs an ESP32 module can use freely: not the flash pins (6-11); 34-39 are input only.
        private const int MaxGpio = 39;

        private readonly ConfigDocument _doc;

        public ConfigReader(ConfigDocument doc)
        {
            _doc = doc;
        }

        public ConfigError Error { get; private set; }

        public bool Ok
        {
            get { return Error == null; }
        }

        public bool Contains(string key)
        {
            return _doc.Contains(key);
        }

        public void Fail(string key, string message)
        {
            if (Error == null)
            {
                Error = new ConfigError(_doc.LineOf(key), key + ": " + message);
            }
        }

        public string Text(string key, int minLength, int maxLength)
        {
            string value = Raw(key);
            if (value == null)
            {
                return null;
            }

            if (value.Length < minLength || value.Length > maxLength)
            {
                Fail(key, "length must be " + minLength.ToString() + ".." + maxLength.ToString());
                return null;
            }

            return value;
        }

        public int Integer(string key, int min, int max)
        {
            string value = Raw(key);
            if (value == null)
            {
                return 0;
            }

            int result;
            if (!int.TryParse(value, out result))
            {
                Fail(key, "'" + value + "' is not an integer");
                return 0;
            }

            if (result < min || result > max)
            {
                Fail(key, value + " is outside " + min.ToString() + ".." + max.ToString());
                return 0;
            }

            return result;
        }

        public string OneOf(string key, string[] allowed)
        {
            string value = Raw(key);
            if (value == null)
            {
                return null;
            }

            for (int i = 0; i < allowed.Length; i++)
            {
                if (allowed[i] == value)
                {
                    return value;
                }
            }

            Fail(key, "'" + value + "' is not one of " + Join(allowed));
            return null;
        }

        public string Version(string key)
        {
            string value = Raw(key);
            if (value == null)
            {
                return null;
            }

            if (!Versions.TryParse(value, out _, out _, out _, out _))
            {
                Fail(key, "'" + value + "' is not a version (major.minor.patch[.build], each 0..255/65535)");
                return null;
            }

            return value;
        }

        public string Uuid(string key)
        {
            string value = Raw(key);
            if (value == null)
            {
                return null;
            }

            if (value.Length != 36 || value[8] != '-' || value[13] != '-' || value[18] != '-' || value[23] != '-')
            {
                Fail(key, "'" + value + "' is not a UUID (8-4-4-4-12 hex digits)");
                return null;
            }

            for (int i = 0; i < value.Length; i++)
            {
                if (i == 8 || i == 13 || i == 18 || i == 23)
                {
                    continue;
                }

                if (Hex.Nibble(value[i]) < 0)
                {
                    Fail(key, "'" + value + "' has a non-hex digit");
                    return null;
                }
            }

            return value.ToLower();
        }

        public int InputPin(string key)
        {
            return Pin(key, false);
        }

        /// <summary>An input that must wake the ESP32 from deep sleep: only RTC GPIOs can.</summary>
        public int WakePin(string key)
        {
            int pin = Pin(key, false);
            if (!Ok)
            {
                return -1;
            }

            int[] rtc = new int[] { 0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39 };
            for (int i = 0; i < rtc.Length; i++)
            {
                if (rtc[i] == pin)
                {
                    return pin;
                }
            }

            Fail(key, "GPIO " + pin.ToString() + " is not an RTC GPIO and cannot wake the device from deep sleep");
            return -1;
        }

        public int OutputPin(string key)
        {
            return Pin(key, true);
        }

        public void Distinct(string[] keys)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (!_doc.Contains(keys[i]))
                {
                    continue;
                }

                for (int j = i + 1; j < keys.Length; j++)
                {
                    if (_doc.Contains(keys[j]) && _doc.Get(keys[i]) == _doc.Get(keys[j]))
                    {
                        Fail(keys[j], "GPIO " + _doc.Get(keys[j]) + " is already used by " + keys[i]);
                        return;
                    }
                }
            }
        }

        private int Pin(string key, bool output)
        {
            int pin = Integer(key, 0, MaxGpio);
            if (!Ok)
            {
                return -1;
            }

            if (pin >= 6 && pin <= 11)
            {
                Fail(key, "GPIO " + pin.ToString() + " is wired to the SPI flash");
                return -1;
            }

            if (output && pin >= 34)
            {
                Fail(key, "GPIO " + pin.ToString() + " is input-only");
                return -1;
            }

            return pin;
        }

        private string Raw(string key)
        {
            if (!_doc.Contains(key))
            {
                Fail(key, "missing");
                return null;
            }

            return _doc.Get(key);
        }

        private static string Join(string[] values)
        {
            string result = "";
            for (int i = 0; i < values.Length; i++)
            {
                result = i == 0 ? values[i] : result + ", " + values[i];
            }

            return result;
        }
    }
}
