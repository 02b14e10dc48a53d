namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>
    /// SEC1 point encodings with full validation: coordinates below p, on the curve y² = x³ - 3x + b,
    /// never the point at infinity (its encoding 0x00 is refused). Invalid-curve points never reach the
    /// scalar multiplication. Compressed points (0x02/0x03) are accepted and decompressed.
    /// </summary>
    public sealed class PointCodec
    {
        public const int UncompressedLength = 65;
        public const int CompressedLength = 33;

        public static readonly uint[] B = new uint[] { 0x27D2604B, 0x3BCE3C3E, 0xCC53B0F6, 0x651D06B0, 0x769886BC, 0xB3EBBD55, 0xAA3A93E7, 0x5AC635D8 };

        private readonly uint[] _t0 = Field.Create();
        private readonly uint[] _t1 = Field.Create();
        private readonly uint[] _t2 = Field.Create();
        private readonly uint[] _t3 = Field.Create();

        public bool TryDecode(byte[] encoded, int offset, int length, AffinePoint r)
        {
            if (encoded == null || length < 1 || offset < 0 || offset + length > encoded.Length)
            {
                return false;
            }

            byte prefix = encoded[offset];
            if (prefix == 0x04 && length == UncompressedLength)
            {
                if (!Field.TryDecode(encoded, offset + 1, _t0) || !Field.TryDecode(encoded, offset + 33, _t1))
                {
                    return false;
                }

                if (!IsOnCurve(_t0, _t1))
                {
                    return false;
                }

                Field.Copy(_t0, r.X);
                Field.Copy(_t1, r.Y);
                return true;
            }

            if ((prefix == 0x02 || prefix == 0x03) && length == CompressedLength)
            {
                if (!Field.TryDecode(encoded, offset + 1, _t0))
                {
                    return false;
                }

                RightHandSide(_t1, _t0);                       // x³ - 3x + b
                Field.SquareRoot(_t2, _t1, _t3, r.Y);
                Field.Square(_t3, _t2);
                if (!Field.AreEqual(_t3, _t1))
                {
                    return false;                              // x is not on the curve
                }

                if ((int)(_t2[0] & 1) != (prefix & 1))
                {
                    Field.Negate(_t2, _t2);
                }

                Field.Copy(_t0, r.X);
                Field.Copy(_t2, r.Y);
                return true;
            }

            return false;
        }

        public static void EncodeUncompressed(AffinePoint p, byte[] output, int offset)
        {
            output[offset] = 0x04;
            Field.Encode(p.X, output, offset + 1);
            Field.Encode(p.Y, output, offset + 33);
        }

        public static byte[] EncodeUncompressed(AffinePoint p)
        {
            byte[] output = new byte[UncompressedLength];
            EncodeUncompressed(p, output, 0);
            return output;
        }

        public bool IsOnCurve(uint[] x, uint[] y)
        {
            RightHandSide(_t2, x);
            Field.Square(_t3, y);
            return Field.AreEqual(_t2, _t3);
        }

        private void RightHandSide(uint[] r, uint[] x)
        {
            Field.Square(r, x);
            Field.Multiply(r, r, x);                           // x³
            Field.Subtract(r, r, x);
            Field.Subtract(r, r, x);
            Field.Subtract(r, r, x);                           // x³ - 3x
            Field.Add(r, r, B);
        }
    }
}
