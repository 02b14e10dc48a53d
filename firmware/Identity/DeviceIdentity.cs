using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Text;

namespace SmartKey.Firmware.Identity
{
    /// <summary>
    /// The factory identity, provisioned once per device and kept through factory resets: serial number,
    /// the SPAKE2+ verifier (w0, L) of the label's setup code (never the code itself) and the OTA trust
    /// keys (P-256 public keys, 1 or 2 for rotation). Record layout (little-endian):
    /// version u8 | serial length u8 | serial (ASCII, ≤ 32) | w0 32 | L 65 | key count u8 | keys 65 each.
    /// </summary>
    public sealed class DeviceIdentity
    {
        public const int MaxSerialLength = 32;
        public const int MaxTrustKeys = 2;
        private const byte FormatVersion = 1;

        public string Serial;
        public byte[] W0;
        public byte[] L;
        public byte[][] OtaTrustKeys;

        public byte[] Encode()
        {
            int length = 2 + Serial.Length + 32 + 65 + 1 + 65 * OtaTrustKeys.Length;
            byte[] b = new byte[length];
            b[0] = FormatVersion;
            b[1] = (byte)Serial.Length;
            int at = 2;
            for (int i = 0; i < Serial.Length; i++) b[at++] = (byte)Serial[i];
            System.Array.Copy(W0, 0, b, at, 32);
            at += 32;
            System.Array.Copy(L, 0, b, at, 65);
            at += 65;
            b[at++] = (byte)OtaTrustKeys.Length;
            for (int k = 0; k < OtaTrustKeys.Length; k++)
            {
                System.Array.Copy(OtaTrustKeys[k], 0, b, at, 65);
                at += 65;
            }

            return b;
        }

        /// <summary>Null for anything malformed (the device then stays unprovisioned and refuses pairing).</summary>
        public static DeviceIdentity Decode(byte[] b, int length)
        {
            if (length < 2 || b[0] != FormatVersion || b[1] == 0 || b[1] > MaxSerialLength) return null;
            int serialLength = b[1];
            int at = 2 + serialLength;
            if (length < at + 32 + 65 + 1) return null;
            string serial = Ascii.Decode(b, 2, serialLength, Ascii.FirstVisible);
            if (serial == null) return null;

            DeviceIdentity identity = new DeviceIdentity();
            identity.Serial = serial;
            identity.W0 = Bytes.Slice(b, at, 32);
            at += 32;
            identity.L = Bytes.Slice(b, at, 65);
            at += 65;
            int keys = b[at++];
            if (keys < 1 || keys > MaxTrustKeys || length != at + 65 * keys) return null;
            identity.OtaTrustKeys = new byte[keys][];
            for (int k = 0; k < keys; k++)
            {
                identity.OtaTrustKeys[k] = Bytes.Slice(b, at, 65);
                at += 65;
            }

            return identity;
        }
    }
}
