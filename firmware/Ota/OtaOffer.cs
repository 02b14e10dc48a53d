using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Text;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// An update offer (from the OTA server over MQTT, or an owner's phone over BLE). Untrusted metadata:
    /// it lets the lock refuse early, but only the signed image decides. Encoding (little-endian):
    /// major u8 | minor u8 | revision u16 | build u32 | image size u32 | security counter u32 |
    /// image hash 32 (the image's SHA256 TLV) | hardware id length u8 | hardware id (ASCII).
    /// </summary>
    public sealed class OtaOffer
    {
        public const int MaxHardwareId = 32;

        public int Major;
        public int Minor;
        public int Revision;
        public long Build;
        public int ImageSize;
        public uint SecurityCounter;
        public byte[] ImageHash = new byte[32];
        public string HardwareId = "";

        public string Version
        {
            get { return Major.ToString() + "." + Minor.ToString() + "." + Revision.ToString() + (Build != 0 ? "." + Build.ToString() : ""); }
        }

        public byte[] Encode()
        {
            WireWriter w = new WireWriter(53 + HardwareId.Length);
            w.Byte(Major).Byte(Minor).UInt16(Revision).UInt32((uint)Build).UInt32((uint)ImageSize).UInt32(SecurityCounter).Bytes(ImageHash).Byte(HardwareId.Length);
            for (int i = 0; i < HardwareId.Length; i++) w.Byte(HardwareId[i]);
            return w.ToArray();
        }

        public static OtaOffer Decode(byte[] b, int offset, int length)
        {
            WireReader r = new WireReader(b, offset, length);
            OtaOffer o = new OtaOffer();
            byte major, minor, idLength;
            int revision;
            uint build, size, counter;
            byte[] hash, id;
            if (!r.TryByte(out major) || !r.TryByte(out minor) || !r.TryUInt16(out revision) || !r.TryUInt32(out build)
                || !r.TryUInt32(out size) || !r.TryUInt32(out counter) || !r.TryBytes(32, out hash)
                || !r.TryByte(out idLength) || idLength == 0 || idLength > MaxHardwareId || !r.TryBytes(idLength, out id) || !r.AtEnd
                || size == 0 || size > 0x7FFFFFFF)
            {
                return null;
            }

            o.Major = major;
            o.Minor = minor;
            o.Revision = revision;
            o.Build = build;
            o.ImageSize = (int)size;
            o.SecurityCounter = counter;
            o.ImageHash = hash;
            o.HardwareId = Ascii.Decode(id, 0, id.Length, Ascii.FirstVisible);
            return o.HardwareId == null ? null : o;
        }
    }
}
