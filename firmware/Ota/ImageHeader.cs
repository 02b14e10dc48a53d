using SmartKey.Firmware.Crypto;

namespace SmartKey.Firmware.Ota
{
    /// <summary>The parsed 32-byte MCUboot header; TryParse checks every field before use.</summary>
    public sealed class ImageHeader
    {
        public int HeaderSize;
        public int ProtectedTlvSize;
        public int ImageSize;
        public uint Flags;
        public int Major;
        public int Minor;
        public int Revision;
        public long Build;

        /// <summary>Bytes covered by the image hash: header, payload, protected TLVs.</summary>
        public int HashedLength
        {
            get { return HeaderSize + ImageSize + ProtectedTlvSize; }
        }

        public string Version
        {
            get { return Major.ToString() + "." + Minor.ToString() + "." + Revision.ToString() + (Build != 0 ? "." + Build.ToString() : ""); }
        }

        public static byte TryParse(byte[] b, int offset, int length, int maxImage, out ImageHeader header)
        {
            header = null;
            if (length < ImageFormat.HeaderLength) return OtaError.Truncated;
            if (Bytes.ReadUInt32LittleEndian(b, offset) != ImageFormat.Magic) return OtaError.BadMagic;
            ImageHeader h = new ImageHeader();
            h.HeaderSize = Bytes.ReadUInt16LittleEndian(b, offset + 8);
            h.ProtectedTlvSize = Bytes.ReadUInt16LittleEndian(b, offset + 10);
            uint imageSize = Bytes.ReadUInt32LittleEndian(b, offset + 12);
            h.Flags = Bytes.ReadUInt32LittleEndian(b, offset + 16);
            h.Major = b[offset + 20];
            h.Minor = b[offset + 21];
            h.Revision = Bytes.ReadUInt16LittleEndian(b, offset + 22);
            h.Build = Bytes.ReadUInt32LittleEndian(b, offset + 24);
            if (h.HeaderSize < ImageFormat.HeaderLength || h.HeaderSize > 4096) return OtaError.BadHeader;
            if (imageSize == 0 || imageSize > (uint)maxImage) return OtaError.TooLarge;
            if ((h.Flags & ~ImageFormat.SupportedFlags) != 0) return OtaError.UnsupportedFlags;
            if (h.ProtectedTlvSize != 0 && h.ProtectedTlvSize < ImageFormat.TlvInfoLength) return OtaError.BadTlv;
            h.ImageSize = (int)imageSize;
            header = h;
            return OtaError.None;
        }
    }
}
