using System.Collections;

namespace SmartKey.Firmware.Config
{
    /// <summary>
    /// nf.config split into "section.key" → value, with the line each came from.
    /// Parsing only: what the values mean is DeviceConfig's business.
    /// </summary>
    public sealed class ConfigDocument
    {
        public const int MaxLineLength = 200;
        public const int MaxEntries = 256;

        private readonly Hashtable _values = new Hashtable();
        private readonly Hashtable _lines = new Hashtable();

        private ConfigDocument()
        {
        }

        public static bool TryParse(string text, out ConfigDocument document, out ConfigError error)
        {
            document = null;
            error = null;
            if (text == null)
            {
                error = new ConfigError(0, "no text");
                return false;
            }

            var result = new ConfigDocument();
            string section = "";
            string[] lines = text.Split(new char[] { '\n' });
            for (int i = 0; i < lines.Length; i++)
            {
                int lineNumber = i + 1;
                string line = lines[i].Trim();
                if (line.Length > MaxLineLength)
                {
                    error = new ConfigError(lineNumber, "line longer than " + MaxLineLength.ToString() + " characters");
                    return false;
                }

                int comment = line.IndexOf('#');
                if (comment >= 0)
                {
                    line = line.Substring(0, comment).Trim();
                }

                if (line.Length == 0)
                {
                    continue;
                }

                if (line[0] == '[')
                {
                    if (line[line.Length - 1] != ']' || line.Length < 3)
                    {
                        error = new ConfigError(lineNumber, "malformed section header");
                        return false;
                    }

                    section = line.Substring(1, line.Length - 2).Trim();
                    continue;
                }

                int eq = line.IndexOf('=');
                if (eq <= 0)
                {
                    error = new ConfigError(lineNumber, "expected 'key = value'");
                    return false;
                }

                if (section.Length == 0)
                {
                    error = new ConfigError(lineNumber, "key outside of any [section]");
                    return false;
                }

                string key = section + "." + line.Substring(0, eq).Trim();
                string value = line.Substring(eq + 1).Trim();
                if (result._values.Contains(key))
                {
                    error = new ConfigError(lineNumber, "duplicate key " + key);
                    return false;
                }

                if (result._values.Count >= MaxEntries)
                {
                    error = new ConfigError(lineNumber, "too many keys");
                    return false;
                }

                result._values.Add(key, value);
                result._lines.Add(key, lineNumber);
            }

            document = result;
            return true;
        }

        public bool Contains(string key)
        {
            return _values.Contains(key);
        }

        public string Get(string key)
        {
            return (string)_values[key];
        }

        public int LineOf(string key)
        {
            object line = _lines[key];
            return line == null ? 0 : (int)line;
        }
    }
}
