using SmartKey.Firmware.Crypto;

namespace SmartKey.Firmware.Keys
{
    /// <summary>
    /// One paired phone: id, role, 256-bit key, and for guests a validity window and a weekly schedule.
    /// Stored as 52 bytes (little-endian):
    /// version u8 | id u8 | role u8 | flags u8 (bit0 revoked) | key 32 | valid-from u32 | valid-until u32 (0 = open) |
    /// days u8 (bit0 Monday … bit6 Sunday) | 0 | start minute u16 | end minute u16 (local time, end exclusive).
    /// A revoked binding keeps its id and window for the log, never its key (zeroed on revocation).
    /// </summary>
    public sealed class Binding
    {
        public const int EncodedLength = 52;
        public const int KeyLength = 32;
        public const byte AllDays = 0x7F;
        private const byte FormatVersion = 1;

        public byte Id;
        public byte Role;
        public bool Revoked;
        public byte[] Key = new byte[KeyLength];
        public uint ValidFrom;
        public uint ValidUntil;
        public byte Days = AllDays;
        public ushort StartMinute;
        public ushort EndMinute = 1440;

        public bool IsOwner
        {
            get { return Role == BindingRole.Owner; }
        }

        public byte[] Encode()
        {
            byte[] b = new byte[EncodedLength];
            b[0] = FormatVersion;
            b[1] = Id;
            b[2] = Role;
            b[3] = (byte)(Revoked ? 1 : 0);
            System.Array.Copy(Key, 0, b, 4, KeyLength);
            Bytes.WriteUInt32LittleEndian(ValidFrom, b, 36);
            Bytes.WriteUInt32LittleEndian(ValidUntil, b, 40);
            b[44] = Days;
            b[45] = 0;
            Bytes.WriteUInt16LittleEndian(StartMinute, b, 46);
            Bytes.WriteUInt16LittleEndian(EndMinute, b, 48);
            b[50] = 0;
            b[51] = 0;
            return b;
        }

        public static Binding Decode(byte[] b, int length)
        {
            if (length != EncodedLength || b[0] != FormatVersion || (b[2] != BindingRole.Owner && b[2] != BindingRole.Guest))
            {
                return null;
            }

            Binding binding = new Binding();
            binding.Id = b[1];
            binding.Role = b[2];
            binding.Revoked = (b[3] & 1) != 0;
            System.Array.Copy(b, 4, binding.Key, 0, KeyLength);
            binding.ValidFrom = Bytes.ReadUInt32LittleEndian(b, 36);
            binding.ValidUntil = Bytes.ReadUInt32LittleEndian(b, 40);
            binding.Days = b[44];
            binding.StartMinute = Bytes.ReadUInt16LittleEndian(b, 46);
            binding.EndMinute = Bytes.ReadUInt16LittleEndian(b, 48);
            return binding;
        }
    }
}
