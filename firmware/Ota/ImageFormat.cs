namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// MCUboot's image format (as imgtool writes it; all integers little-endian):
    /// <code>
    /// header (32 B): magic 0x96f3b83d | load address u32 | header size u16 | protected TLV size u16 |
    ///                image size u32 | flags u32 | version: major u8, minor u8, revision u16, build u32 | 0 u32
    /// payload (image size bytes, at header size)
    /// protected TLVs: info (magic 0x6908, total u16 incl. info) then TLVs         — covered by the hash
    /// TLVs:           info (magic 0x6907, total u16 incl. info) then TLVs
    /// TLV: type u16 | length u16 | value
    /// </code>
    /// The SHA256 TLV is the hash of header, payload and protected TLVs; KEYHASH is the SHA-256 of the
    /// signing key's DER SubjectPublicKeyInfo, or PUBKEY that SubjectPublicKeyInfo itself (imgtool
    /// --public-key-format full); ECDSA_SIG is the DER ECDSA P-256 signature of that hash.
    /// SmartKey adds a protected custom TLV with the hardware id (imgtool --custom-tlv 0xa0).
    /// An image made with imgtool --pad fills the slot: erased bytes (0xff) after the TLV area, then MCUboot's
    /// image trailer (boot magic, image_ok for --confirm) at the slot's end. Nothing after the TLV area is
    /// signed; the lock neither reads nor stores it (it marks its own test boot).
    /// </summary>
    public static class ImageFormat
    {
        public const uint Magic = 0x96f3b83d;
        public const int HeaderLength = 32;
        public const int TlvInfoLength = 4;
        public const int TlvHeaderLength = 4;
        public const ushort TlvInfoMagic = 0x6907;
        public const ushort ProtectedTlvInfoMagic = 0x6908;

        public const int TlvKeyHash = 0x01;
        public const int TlvPublicKey = 0x02;
        public const int TlvSha256 = 0x10;
        public const int TlvEcdsaSignature = 0x22;
        public const int TlvSecurityCounter = 0x50;
        public const int TlvHardwareId = 0xA0;

        /// <summary>
        /// The header flags the lock takes (an allow-list): none. MCUboot's flags each ask the bootloader for something
        /// SmartKey's images never are: PIC 0x1, encrypted 0x4/0x8, non-bootable 0x10, RAM load 0x20, ROM_FIXED 0x100,
        /// compressed 0x200 (LZMA1), 0x400 (LZMA2), 0x800 (ARM Thumb filter); a flag defined later is unknown here.
        /// An image with any flag set is refused (UnsupportedFlags) before a byte of it is written.
        /// </summary>
        public const uint SupportedFlags = 0;

        /// <summary>The largest TLV area (protected and not) accepted: it is buffered in RAM.</summary>
        public const int MaxTrailerLength = 1024;
    }
}
