namespace SmartKey.NFUnitTest.Lane
{
    /// <summary>
    /// A Wycheproof file as the device lane packs it (LaneFileSources.cs on the host): u16 numberOfTests (as the file
    /// declares), u16 cases, then per case u16 tcId | u8 result (0 valid, 1 invalid, 2 acceptable) | u8 field count |
    /// per field u16 length | bytes. Which fields, in which order, is per file (named where each test reads them).
    /// </summary>
    internal sealed class VectorCases
    {
        public const byte Valid = 0, Invalid = 1, Acceptable = 2;

        private readonly byte[] _data;
        private int _at;
        private int _left;

        public VectorCases(string file)
        {
            _data = LaneFiles.Read(file);
            Declared = U16(0);
            _left = U16(2);
            Count = _left;
            _at = 4;
        }

        /// <summary>numberOfTests in the file.</summary>
        public int Declared { get; private set; }

        /// <summary>Cases packed (every test of every group).</summary>
        public int Count { get; private set; }

        public int TcId { get; private set; }

        public byte Result { get; private set; }

        public byte[][] Fields { get; private set; }

        /// <summary>Moves to the next case; false after the last.</summary>
        public bool Next()
        {
            if (_left == 0)
            {
                return false;
            }

            _left--;
            TcId = U16(_at);
            Result = _data[_at + 2];
            int count = _data[_at + 3];
            _at += 4;
            Fields = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                int length = U16(_at);
                byte[] field = new byte[length];
                System.Array.Copy(_data, _at + 2, field, 0, length);
                Fields[i] = field;
                _at += 2 + length;
            }

            return true;
        }

        /// <summary>A field holding a number (u16).</summary>
        public int Number(int field)
        {
            return Fields[field][0] | (Fields[field][1] << 8);
        }

        public string Describe()
        {
            return "tcId " + TcId.ToString() + (Result == Valid ? " (valid)" : Result == Invalid ? " (invalid)" : " (acceptable)");
        }

        private int U16(int at)
        {
            return _data[at] | (_data[at + 1] << 8);
        }
    }
}
