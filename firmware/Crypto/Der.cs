namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// The little DER the device needs, parsed strictly (minimal lengths, minimal integers, nothing left
    /// over): ECDSA signatures SEQUENCE { INTEGER r, INTEGER s } as MCUboot's imgtool writes them, and
    /// P-256 SubjectPublicKeyInfo for provisioned keys. Bounds are checked before every read.
    /// </summary>
    public static class Der
    {
        private static readonly byte[] EcPublicKeyOid = new byte[] { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };
        private static readonly byte[] Prime256v1Oid = new byte[] { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };

        /// <summary>DER ECDSA signature → 64-byte r||s (each left-padded to 32 bytes). False on any deviation.</summary>
        public static bool TryParseEcdsaSignature(byte[] der, int offset, int length, byte[] rs, int rsOffset)
        {
            int end = offset + length;
            int position = offset;
            int seqLength;
            if (der == null || offset < 0 || end > der.Length || !ReadHeader(der, ref position, end, 0x30, out seqLength) || position + seqLength != end)
            {
                return false;
            }

            return ReadUnsigned32(der, ref position, end, rs, rsOffset)
                && ReadUnsigned32(der, ref position, end, rs, rsOffset + 32)
                && position == end;
        }

        /// <summary>64-byte r||s → minimal DER (for signing tools and tests).</summary>
        public static byte[] EncodeEcdsaSignature(byte[] rs, int offset)
        {
            byte[] r = MinimalInteger(rs, offset);
            byte[] s = MinimalInteger(rs, offset + 32);
            byte[] der = new byte[2 + 2 + r.Length + 2 + s.Length];
            der[0] = 0x30;
            der[1] = (byte)(der.Length - 2);
            der[2] = 0x02;
            der[3] = (byte)r.Length;
            System.Array.Copy(r, 0, der, 4, r.Length);
            der[4 + r.Length] = 0x02;
            der[5 + r.Length] = (byte)s.Length;
            System.Array.Copy(s, 0, der, 6 + r.Length, s.Length);
            return der;
        }

        /// <summary>
        /// SubjectPublicKeyInfo of an id-ecPublicKey on the named curve prime256v1 → the SEC1 point bytes
        /// (still to be validated by PointCodec). Explicit curve parameters and other curves are refused.
        /// </summary>
        public static bool TryParseP256PublicKeyInfo(byte[] der, int offset, int length, out int pointOffset, out int pointLength)
        {
            pointOffset = 0;
            pointLength = 0;
            int end = offset + length;
            int position = offset;
            int n;
            if (der == null || offset < 0 || end > der.Length || !ReadHeader(der, ref position, end, 0x30, out n) || position + n != end)
            {
                return false;
            }

            int algorithmEnd;
            if (!ReadHeader(der, ref position, end, 0x30, out n))
            {
                return false;
            }

            algorithmEnd = position + n;
            if (!ReadExpected(der, ref position, algorithmEnd, 0x06, EcPublicKeyOid) || !ReadExpected(der, ref position, algorithmEnd, 0x06, Prime256v1Oid) || position != algorithmEnd)
            {
                return false;
            }

            if (!ReadHeader(der, ref position, end, 0x03, out n) || position + n != end || n < 2 || der[position] != 0)
            {
                return false;
            }

            pointOffset = position + 1;
            pointLength = n - 1;
            return true;
        }

        private static bool ReadExpected(byte[] der, ref int position, int end, byte tag, byte[] expected)
        {
            int n;
            if (!ReadHeader(der, ref position, end, tag, out n) || n != expected.Length)
            {
                return false;
            }

            for (int i = 0; i < n; i++)
            {
                if (der[position + i] != expected[i])
                {
                    return false;
                }
            }

            position += n;
            return true;
        }

        /// <summary>Reads tag and a minimal definite length; true when the content fits before end.</summary>
        private static bool ReadHeader(byte[] der, ref int position, int end, byte tag, out int contentLength)
        {
            contentLength = 0;
            if (position + 2 > end || der[position] != tag)
            {
                return false;
            }

            int first = der[position + 1];
            position += 2;
            if (first < 0x80)
            {
                contentLength = first;
            }
            else if (first == 0x81)
            {
                if (position + 1 > end || der[position] < 0x80)
                {
                    return false;                                   // not minimal
                }

                contentLength = der[position];
                position += 1;
            }
            else if (first == 0x82)
            {
                if (position + 2 > end || der[position] == 0)
                {
                    return false;
                }

                contentLength = (der[position] << 8) | der[position + 1];
                if (contentLength < 0x100)
                {
                    return false;
                }

                position += 2;
            }
            else
            {
                return false;                                       // indefinite or absurdly long
            }

            return contentLength <= end - position;
        }

        private static bool ReadUnsigned32(byte[] der, ref int position, int end, byte[] output, int outputOffset)
        {
            int n;
            if (!ReadHeader(der, ref position, end, 0x02, out n) || n == 0 || n > 33)
            {
                return false;
            }

            if ((der[position] & 0x80) != 0)
            {
                return false;                                       // negative
            }

            if (n > 1 && der[position] == 0 && (der[position + 1] & 0x80) == 0)
            {
                return false;                                       // not minimal
            }

            int skip = n == 33 ? 1 : 0;
            if (n == 33 && der[position] != 0)
            {
                return false;
            }

            System.Array.Clear(output, outputOffset, 32);
            System.Array.Copy(der, position + skip, output, outputOffset + 32 - (n - skip), n - skip);
            position += n;
            return true;
        }

        private static byte[] MinimalInteger(byte[] source, int offset)
        {
            int start = 0;
            while (start < 31 && source[offset + start] == 0)
            {
                start++;
            }

            bool pad = (source[offset + start] & 0x80) != 0;
            byte[] value = new byte[32 - start + (pad ? 1 : 0)];
            System.Array.Copy(source, offset + start, value, pad ? 1 : 0, 32 - start);
            return value;
        }
    }
}
