using SmartKey.Firmware.Button;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Status;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Text;
using SmartKey.Hal;

namespace SmartKey.Firmware.Console
{
    /// <summary>
    /// The technician's line console (USB serial). Commands: `status`, `diag`, and
    /// `provision &lt;serial&gt; &lt;w0 hex&gt; &lt;L hex&gt; &lt;ota key hex&gt; [&lt;ota key 2 hex&gt;]`, which is
    /// accepted only in factory state (no identity yet) or while the button is held (physical presence).
    /// Every answer is one line starting with "ok" or "error &lt;code&gt;: &lt;reason&gt;". Lines longer than
    /// MaxLineLength, bytes outside printable ASCII and unknown commands are refused and change nothing.
    /// </summary>
    public sealed class ServiceConsole
    {
        public const int MaxLineLength = 600;

        private readonly ISerialConsole _port;
        private readonly StatusReport _status;
        private readonly ProvisionedIdentity _identity;
        private readonly PushButton _button;
        private readonly char[] _line = new char[MaxLineLength];
        private readonly System.Collections.Queue _pending = new System.Collections.Queue();
        private int _length;
        private bool _overflow;
        private bool _garbage;

        public ServiceConsole(ISerialConsole port, StatusReport status, ProvisionedIdentity identity, PushButton button)
        {
            _port = port;
            _status = status;
            _identity = identity;
            _button = button;
            port.DataReceived += OnData;
        }

        public void Detach()
        {
            _port.DataReceived -= OnData;
        }

        /// <summary>Runs the lines received since the last call (from the main loop, not the driver's thread).</summary>
        public void Poll()
        {
            while (true)
            {
                string line;
                lock (_pending)
                {
                    if (_pending.Count == 0) return;
                    line = (string)_pending.Dequeue();
                }

                _port.Write(Execute(line) + "\n");
            }
        }

        private void OnData(object sender, byte[] data, int count)
        {
            for (int i = 0; i < count; i++)
            {
                byte b = data[i];
                if (b == (byte)'\n' || b == (byte)'\r')
                {
                    if (_length > 0 || _overflow || _garbage)
                    {
                        string line = _overflow ? "\u0001overflow" : _garbage ? "\u0001garbage" : new string(_line, 0, _length);
                        lock (_pending)
                        {
                            if (_pending.Count < 8) _pending.Enqueue(line);
                        }
                    }

                    _length = 0;
                    _overflow = false;
                    _garbage = false;
                }
                else if (b < 0x20 || b > 0x7E)
                {
                    _garbage = true;
                }
                else if (_length >= MaxLineLength)
                {
                    _overflow = true;
                }
                else
                {
                    _line[_length++] = (char)b;
                }
            }
        }

        public string Execute(string line)
        {
            if (line == "\u0001overflow") return "error 2: line longer than " + MaxLineLength.ToString() + " characters";
            if (line == "\u0001garbage") return "error 1: line contains non-printable bytes";
            string[] words = line.Trim().Split(new char[] { ' ' });
            switch (words[0])
            {
                case "status":
                    return "ok " + _status.Snapshot().ToString();
                case "diag":
                    return "ok " + _status.Diagnostics();
                case "provision":
                    return Provision(words);
                default:
                    return "error 4: unknown command '" + (words[0].Length > 20 ? words[0].Substring(0, 20) : words[0]) + "' (status, diag, provision)";
            }
        }

        private string Provision(string[] words)
        {
            if (_identity.Current != null && !_button.IsHeld)
            {
                return "error 11: already provisioned; hold the button to re-provision";
            }

            if (words.Length != 5 && words.Length != 6)
            {
                return "error 32: usage: provision <serial> <w0 hex> <L hex> <ota key hex> [<ota key 2 hex>]";
            }

            DeviceIdentity identity = new DeviceIdentity();
            identity.Serial = words[1];
            byte[] w0, l;
            if (identity.Serial.Length == 0 || identity.Serial.Length > DeviceIdentity.MaxSerialLength) return "error 32: serial must be 1..32 characters";
            if (!Hex.TryDecode(words[2], out w0) || w0.Length != 32) return "error 32: w0 must be 32 bytes of hex";
            if (!Hex.TryDecode(words[3], out l) || l.Length != 65) return "error 32: L must be a 65-byte uncompressed point in hex";
            if (!new Spake2PlusVerifier(w0, l).IsValid) return "error 32: w0 is not a scalar in [1, n-1] or L is not a point on P-256";
            identity.W0 = w0;
            identity.L = l;
            identity.OtaTrustKeys = new byte[words.Length - 4][];
            for (int k = 0; k < identity.OtaTrustKeys.Length; k++)
            {
                byte[] key;
                if (!Hex.TryDecode(words[4 + k], out key) || key.Length != 65 || !new SmartKey.Firmware.Crypto.P256.PointCodec().TryDecode(key, 0, 65, new SmartKey.Firmware.Crypto.P256.AffinePoint()))
                {
                    return "error 32: OTA key " + (k + 1).ToString() + " is not a P-256 public key (65 bytes, uncompressed, hex)";
                }

                identity.OtaTrustKeys[k] = key;
            }

            StoreResult saved = _identity.Provision(identity);
            return saved == StoreResult.Ok ? "ok provisioned " + identity.Serial : "error 50: storage " + ((int)saved).ToString();
        }
    }
}
