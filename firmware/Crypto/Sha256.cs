namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// SHA-256 (FIPS 180-4), streaming over caller buffers. The device has no managed SHA-256, so this is
    /// the one used for image hashes, transcripts and HKDF. One instance is reusable: Reset, Update…, Final.
    /// The state can be saved and restored (Save/Restore), so an HMAC key's inner and outer states can be
    /// cached and an OTA download can resume its running hash after a reboot.
    /// </summary>
    public sealed class Sha256
    {
        public const int HashLength = 32;
        public const int BlockLength = 64;
        public const int StateLength = 32 + 8 + BlockLength;

        /// <summary>x * Spread = x || x (64 bits): both halves hold x, so a shift of the pair rotates x.</summary>
        private const ulong Spread = 0x100000001UL;

        private readonly uint[] _h = new uint[8];
        private readonly byte[] _buffer = new byte[BlockLength];
        private int _buffered;
        private long _length;

        public Sha256()
        {
            Reset();
        }

        public void Reset()
        {
            _h[0] = 0x6a09e667; _h[1] = 0xbb67ae85; _h[2] = 0x3c6ef372; _h[3] = 0xa54ff53a;
            _h[4] = 0x510e527f; _h[5] = 0x9b05688c; _h[6] = 0x1f83d9ab; _h[7] = 0x5be0cd19;
            _buffered = 0;
            _length = 0;
        }

        public void Update(byte[] data, int offset, int count)
        {
            _length += count;
            if (_buffered > 0)
            {
                int take = BlockLength - _buffered;
                if (take > count)
                {
                    take = count;
                }

                System.Array.Copy(data, offset, _buffer, _buffered, take);
                _buffered += take;
                offset += take;
                count -= take;
                if (_buffered < BlockLength)
                {
                    return;
                }

                Compress(_buffer, 0);
                _buffered = 0;
            }

            while (count >= BlockLength)
            {
                Compress(data, offset);
                offset += BlockLength;
                count -= BlockLength;
            }

            if (count > 0)
            {
                System.Array.Copy(data, offset, _buffer, 0, count);
                _buffered = count;
            }
        }

        public void Update(byte[] data)
        {
            Update(data, 0, data.Length);
        }

        public void UpdateByte(byte value)
        {
            _length++;
            _buffer[_buffered++] = value;
            if (_buffered == BlockLength)
            {
                Compress(_buffer, 0);
                _buffered = 0;
            }
        }

        /// <summary>Writes the digest to output[offset..offset+32) and resets for the next message.</summary>
        public void Final(byte[] output, int offset)
        {
            long bits = _length * 8;
            byte[] buffer = _buffer;
            int at = _buffered;
            buffer[at++] = 0x80;
            if (at > 56)
            {
                System.Array.Clear(buffer, at, BlockLength - at);
                Compress(buffer, 0);
                at = 0;
            }

            System.Array.Clear(buffer, at, 56 - at);
            Bytes.WriteInt64BigEndian(bits, buffer, 56);
            Compress(buffer, 0);
            for (int i = 0; i < 8; i++)
            {
                Bytes.WriteUInt32BigEndian(_h[i], output, offset + 4 * i);
            }

            Reset();
        }

        public byte[] Final()
        {
            byte[] digest = new byte[HashLength];
            Final(digest, 0);
            return digest;
        }

        public static byte[] Hash(byte[] data, int offset, int count)
        {
            Sha256 sha = new Sha256();
            sha.Update(data, offset, count);
            return sha.Final();
        }

        public static byte[] Hash(byte[] data)
        {
            return Hash(data, 0, data.Length);
        }

        /// <summary>Serialises the running state (chaining value, length, partial block) into StateLength bytes.</summary>
        public void Save(byte[] state, int offset)
        {
            for (int i = 0; i < 8; i++)
            {
                Bytes.WriteUInt32BigEndian(_h[i], state, offset + 4 * i);
            }

            Bytes.WriteInt64BigEndian(_length, state, offset + 32);
            System.Array.Copy(_buffer, 0, state, offset + 40, BlockLength);
        }

        public void Restore(byte[] state, int offset)
        {
            for (int i = 0; i < 8; i++)
            {
                _h[i] = Bytes.ReadUInt32BigEndian(state, offset + 4 * i);
            }

            _length = Bytes.ReadInt64BigEndian(state, offset + 32);
            _buffered = (int)(_length % BlockLength);
            System.Array.Copy(state, offset + 40, _buffer, 0, BlockLength);
        }

        internal void CopyStateTo(Sha256 other)
        {
            System.Array.Copy(_h, other._h, 8);
            System.Array.Copy(_buffer, other._buffer, BlockLength);
            other._buffered = _buffered;
            other._length = _length;
        }

        // Generated: 64 rounds unrolled, the message schedule in 16 rolling locals, K as literals, and the
        // eight working variables renamed round by round instead of moved. A rotation is read from the
        // 64-bit x·(2^32+1) = x||x: ROTR_n(x) = (uint)(xx >> n), so a three-rotation sum costs 17 opcodes
        // instead of 23. On the interpreter every opcode counts: about 6,600 per block instead of 11,900.
        private void Compress(byte[] block, int o)
        {
            CryptoCounters.Sha256Compressions++;
            uint[] state = _h;
            uint w0 = (uint)(block[o] << 24 | block[o + 1] << 16 | block[o + 2] << 8 | block[o + 3]);
            uint w1 = (uint)(block[o + 4] << 24 | block[o + 5] << 16 | block[o + 6] << 8 | block[o + 7]);
            uint w2 = (uint)(block[o + 8] << 24 | block[o + 9] << 16 | block[o + 10] << 8 | block[o + 11]);
            uint w3 = (uint)(block[o + 12] << 24 | block[o + 13] << 16 | block[o + 14] << 8 | block[o + 15]);
            uint w4 = (uint)(block[o + 16] << 24 | block[o + 17] << 16 | block[o + 18] << 8 | block[o + 19]);
            uint w5 = (uint)(block[o + 20] << 24 | block[o + 21] << 16 | block[o + 22] << 8 | block[o + 23]);
            uint w6 = (uint)(block[o + 24] << 24 | block[o + 25] << 16 | block[o + 26] << 8 | block[o + 27]);
            uint w7 = (uint)(block[o + 28] << 24 | block[o + 29] << 16 | block[o + 30] << 8 | block[o + 31]);
            uint w8 = (uint)(block[o + 32] << 24 | block[o + 33] << 16 | block[o + 34] << 8 | block[o + 35]);
            uint w9 = (uint)(block[o + 36] << 24 | block[o + 37] << 16 | block[o + 38] << 8 | block[o + 39]);
            uint w10 = (uint)(block[o + 40] << 24 | block[o + 41] << 16 | block[o + 42] << 8 | block[o + 43]);
            uint w11 = (uint)(block[o + 44] << 24 | block[o + 45] << 16 | block[o + 46] << 8 | block[o + 47]);
            uint w12 = (uint)(block[o + 48] << 24 | block[o + 49] << 16 | block[o + 50] << 8 | block[o + 51]);
            uint w13 = (uint)(block[o + 52] << 24 | block[o + 53] << 16 | block[o + 54] << 8 | block[o + 55]);
            uint w14 = (uint)(block[o + 56] << 24 | block[o + 57] << 16 | block[o + 58] << 8 | block[o + 59]);
            uint w15 = (uint)(block[o + 60] << 24 | block[o + 61] << 16 | block[o + 62] << 8 | block[o + 63]);
            uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
            ulong xx;
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0x428a2f98 + w0;
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0x71374491 + w1;
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0xb5c0fbcf + w2;
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0xe9b5dba5 + w3;
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0x3956c25b + w4;
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0x59f111f1 + w5;
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0x923f82a4 + w6;
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0xab1c5ed5 + w7;
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0xd807aa98 + w8;
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0x12835b01 + w9;
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0x243185be + w10;
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0x550c7dc3 + w11;
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0x72be5d74 + w12;
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0x80deb1fe + w13;
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0x9bdc06a7 + w14;
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0xc19bf174 + w15;
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0xe49b69c1 + (w0 += ((uint)(((xx = w1 * Spread) >> 7) ^ (xx >> 18)) ^ (w1 >> 3)) + w9 + ((uint)(((xx = w14 * Spread) >> 17) ^ (xx >> 19)) ^ (w14 >> 10)));
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0xefbe4786 + (w1 += ((uint)(((xx = w2 * Spread) >> 7) ^ (xx >> 18)) ^ (w2 >> 3)) + w10 + ((uint)(((xx = w15 * Spread) >> 17) ^ (xx >> 19)) ^ (w15 >> 10)));
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0x0fc19dc6 + (w2 += ((uint)(((xx = w3 * Spread) >> 7) ^ (xx >> 18)) ^ (w3 >> 3)) + w11 + ((uint)(((xx = w0 * Spread) >> 17) ^ (xx >> 19)) ^ (w0 >> 10)));
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0x240ca1cc + (w3 += ((uint)(((xx = w4 * Spread) >> 7) ^ (xx >> 18)) ^ (w4 >> 3)) + w12 + ((uint)(((xx = w1 * Spread) >> 17) ^ (xx >> 19)) ^ (w1 >> 10)));
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0x2de92c6f + (w4 += ((uint)(((xx = w5 * Spread) >> 7) ^ (xx >> 18)) ^ (w5 >> 3)) + w13 + ((uint)(((xx = w2 * Spread) >> 17) ^ (xx >> 19)) ^ (w2 >> 10)));
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0x4a7484aa + (w5 += ((uint)(((xx = w6 * Spread) >> 7) ^ (xx >> 18)) ^ (w6 >> 3)) + w14 + ((uint)(((xx = w3 * Spread) >> 17) ^ (xx >> 19)) ^ (w3 >> 10)));
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0x5cb0a9dc + (w6 += ((uint)(((xx = w7 * Spread) >> 7) ^ (xx >> 18)) ^ (w7 >> 3)) + w15 + ((uint)(((xx = w4 * Spread) >> 17) ^ (xx >> 19)) ^ (w4 >> 10)));
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0x76f988da + (w7 += ((uint)(((xx = w8 * Spread) >> 7) ^ (xx >> 18)) ^ (w8 >> 3)) + w0 + ((uint)(((xx = w5 * Spread) >> 17) ^ (xx >> 19)) ^ (w5 >> 10)));
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0x983e5152 + (w8 += ((uint)(((xx = w9 * Spread) >> 7) ^ (xx >> 18)) ^ (w9 >> 3)) + w1 + ((uint)(((xx = w6 * Spread) >> 17) ^ (xx >> 19)) ^ (w6 >> 10)));
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0xa831c66d + (w9 += ((uint)(((xx = w10 * Spread) >> 7) ^ (xx >> 18)) ^ (w10 >> 3)) + w2 + ((uint)(((xx = w7 * Spread) >> 17) ^ (xx >> 19)) ^ (w7 >> 10)));
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0xb00327c8 + (w10 += ((uint)(((xx = w11 * Spread) >> 7) ^ (xx >> 18)) ^ (w11 >> 3)) + w3 + ((uint)(((xx = w8 * Spread) >> 17) ^ (xx >> 19)) ^ (w8 >> 10)));
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0xbf597fc7 + (w11 += ((uint)(((xx = w12 * Spread) >> 7) ^ (xx >> 18)) ^ (w12 >> 3)) + w4 + ((uint)(((xx = w9 * Spread) >> 17) ^ (xx >> 19)) ^ (w9 >> 10)));
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0xc6e00bf3 + (w12 += ((uint)(((xx = w13 * Spread) >> 7) ^ (xx >> 18)) ^ (w13 >> 3)) + w5 + ((uint)(((xx = w10 * Spread) >> 17) ^ (xx >> 19)) ^ (w10 >> 10)));
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0xd5a79147 + (w13 += ((uint)(((xx = w14 * Spread) >> 7) ^ (xx >> 18)) ^ (w14 >> 3)) + w6 + ((uint)(((xx = w11 * Spread) >> 17) ^ (xx >> 19)) ^ (w11 >> 10)));
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0x06ca6351 + (w14 += ((uint)(((xx = w15 * Spread) >> 7) ^ (xx >> 18)) ^ (w15 >> 3)) + w7 + ((uint)(((xx = w12 * Spread) >> 17) ^ (xx >> 19)) ^ (w12 >> 10)));
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0x14292967 + (w15 += ((uint)(((xx = w0 * Spread) >> 7) ^ (xx >> 18)) ^ (w0 >> 3)) + w8 + ((uint)(((xx = w13 * Spread) >> 17) ^ (xx >> 19)) ^ (w13 >> 10)));
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0x27b70a85 + (w0 += ((uint)(((xx = w1 * Spread) >> 7) ^ (xx >> 18)) ^ (w1 >> 3)) + w9 + ((uint)(((xx = w14 * Spread) >> 17) ^ (xx >> 19)) ^ (w14 >> 10)));
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0x2e1b2138 + (w1 += ((uint)(((xx = w2 * Spread) >> 7) ^ (xx >> 18)) ^ (w2 >> 3)) + w10 + ((uint)(((xx = w15 * Spread) >> 17) ^ (xx >> 19)) ^ (w15 >> 10)));
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0x4d2c6dfc + (w2 += ((uint)(((xx = w3 * Spread) >> 7) ^ (xx >> 18)) ^ (w3 >> 3)) + w11 + ((uint)(((xx = w0 * Spread) >> 17) ^ (xx >> 19)) ^ (w0 >> 10)));
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0x53380d13 + (w3 += ((uint)(((xx = w4 * Spread) >> 7) ^ (xx >> 18)) ^ (w4 >> 3)) + w12 + ((uint)(((xx = w1 * Spread) >> 17) ^ (xx >> 19)) ^ (w1 >> 10)));
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0x650a7354 + (w4 += ((uint)(((xx = w5 * Spread) >> 7) ^ (xx >> 18)) ^ (w5 >> 3)) + w13 + ((uint)(((xx = w2 * Spread) >> 17) ^ (xx >> 19)) ^ (w2 >> 10)));
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0x766a0abb + (w5 += ((uint)(((xx = w6 * Spread) >> 7) ^ (xx >> 18)) ^ (w6 >> 3)) + w14 + ((uint)(((xx = w3 * Spread) >> 17) ^ (xx >> 19)) ^ (w3 >> 10)));
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0x81c2c92e + (w6 += ((uint)(((xx = w7 * Spread) >> 7) ^ (xx >> 18)) ^ (w7 >> 3)) + w15 + ((uint)(((xx = w4 * Spread) >> 17) ^ (xx >> 19)) ^ (w4 >> 10)));
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0x92722c85 + (w7 += ((uint)(((xx = w8 * Spread) >> 7) ^ (xx >> 18)) ^ (w8 >> 3)) + w0 + ((uint)(((xx = w5 * Spread) >> 17) ^ (xx >> 19)) ^ (w5 >> 10)));
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0xa2bfe8a1 + (w8 += ((uint)(((xx = w9 * Spread) >> 7) ^ (xx >> 18)) ^ (w9 >> 3)) + w1 + ((uint)(((xx = w6 * Spread) >> 17) ^ (xx >> 19)) ^ (w6 >> 10)));
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0xa81a664b + (w9 += ((uint)(((xx = w10 * Spread) >> 7) ^ (xx >> 18)) ^ (w10 >> 3)) + w2 + ((uint)(((xx = w7 * Spread) >> 17) ^ (xx >> 19)) ^ (w7 >> 10)));
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0xc24b8b70 + (w10 += ((uint)(((xx = w11 * Spread) >> 7) ^ (xx >> 18)) ^ (w11 >> 3)) + w3 + ((uint)(((xx = w8 * Spread) >> 17) ^ (xx >> 19)) ^ (w8 >> 10)));
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0xc76c51a3 + (w11 += ((uint)(((xx = w12 * Spread) >> 7) ^ (xx >> 18)) ^ (w12 >> 3)) + w4 + ((uint)(((xx = w9 * Spread) >> 17) ^ (xx >> 19)) ^ (w9 >> 10)));
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0xd192e819 + (w12 += ((uint)(((xx = w13 * Spread) >> 7) ^ (xx >> 18)) ^ (w13 >> 3)) + w5 + ((uint)(((xx = w10 * Spread) >> 17) ^ (xx >> 19)) ^ (w10 >> 10)));
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0xd6990624 + (w13 += ((uint)(((xx = w14 * Spread) >> 7) ^ (xx >> 18)) ^ (w14 >> 3)) + w6 + ((uint)(((xx = w11 * Spread) >> 17) ^ (xx >> 19)) ^ (w11 >> 10)));
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0xf40e3585 + (w14 += ((uint)(((xx = w15 * Spread) >> 7) ^ (xx >> 18)) ^ (w15 >> 3)) + w7 + ((uint)(((xx = w12 * Spread) >> 17) ^ (xx >> 19)) ^ (w12 >> 10)));
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0x106aa070 + (w15 += ((uint)(((xx = w0 * Spread) >> 7) ^ (xx >> 18)) ^ (w0 >> 3)) + w8 + ((uint)(((xx = w13 * Spread) >> 17) ^ (xx >> 19)) ^ (w13 >> 10)));
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0x19a4c116 + (w0 += ((uint)(((xx = w1 * Spread) >> 7) ^ (xx >> 18)) ^ (w1 >> 3)) + w9 + ((uint)(((xx = w14 * Spread) >> 17) ^ (xx >> 19)) ^ (w14 >> 10)));
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0x1e376c08 + (w1 += ((uint)(((xx = w2 * Spread) >> 7) ^ (xx >> 18)) ^ (w2 >> 3)) + w10 + ((uint)(((xx = w15 * Spread) >> 17) ^ (xx >> 19)) ^ (w15 >> 10)));
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0x2748774c + (w2 += ((uint)(((xx = w3 * Spread) >> 7) ^ (xx >> 18)) ^ (w3 >> 3)) + w11 + ((uint)(((xx = w0 * Spread) >> 17) ^ (xx >> 19)) ^ (w0 >> 10)));
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0x34b0bcb5 + (w3 += ((uint)(((xx = w4 * Spread) >> 7) ^ (xx >> 18)) ^ (w4 >> 3)) + w12 + ((uint)(((xx = w1 * Spread) >> 17) ^ (xx >> 19)) ^ (w1 >> 10)));
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0x391c0cb3 + (w4 += ((uint)(((xx = w5 * Spread) >> 7) ^ (xx >> 18)) ^ (w5 >> 3)) + w13 + ((uint)(((xx = w2 * Spread) >> 17) ^ (xx >> 19)) ^ (w2 >> 10)));
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0x4ed8aa4a + (w5 += ((uint)(((xx = w6 * Spread) >> 7) ^ (xx >> 18)) ^ (w6 >> 3)) + w14 + ((uint)(((xx = w3 * Spread) >> 17) ^ (xx >> 19)) ^ (w3 >> 10)));
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0x5b9cca4f + (w6 += ((uint)(((xx = w7 * Spread) >> 7) ^ (xx >> 18)) ^ (w7 >> 3)) + w15 + ((uint)(((xx = w4 * Spread) >> 17) ^ (xx >> 19)) ^ (w4 >> 10)));
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0x682e6ff3 + (w7 += ((uint)(((xx = w8 * Spread) >> 7) ^ (xx >> 18)) ^ (w8 >> 3)) + w0 + ((uint)(((xx = w5 * Spread) >> 17) ^ (xx >> 19)) ^ (w5 >> 10)));
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            h += (uint)(((xx = e * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (g ^ (e & (f ^ g))) + 0x748f82ee + (w8 += ((uint)(((xx = w9 * Spread) >> 7) ^ (xx >> 18)) ^ (w9 >> 3)) + w1 + ((uint)(((xx = w6 * Spread) >> 17) ^ (xx >> 19)) ^ (w6 >> 10)));
            d += h;
            h += (uint)(((xx = a * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((a & b) | (c & (a | b)));
            g += (uint)(((xx = d * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (f ^ (d & (e ^ f))) + 0x78a5636f + (w9 += ((uint)(((xx = w10 * Spread) >> 7) ^ (xx >> 18)) ^ (w10 >> 3)) + w2 + ((uint)(((xx = w7 * Spread) >> 17) ^ (xx >> 19)) ^ (w7 >> 10)));
            c += g;
            g += (uint)(((xx = h * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((h & a) | (b & (h | a)));
            f += (uint)(((xx = c * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (e ^ (c & (d ^ e))) + 0x84c87814 + (w10 += ((uint)(((xx = w11 * Spread) >> 7) ^ (xx >> 18)) ^ (w11 >> 3)) + w3 + ((uint)(((xx = w8 * Spread) >> 17) ^ (xx >> 19)) ^ (w8 >> 10)));
            b += f;
            f += (uint)(((xx = g * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((g & h) | (a & (g | h)));
            e += (uint)(((xx = b * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (d ^ (b & (c ^ d))) + 0x8cc70208 + (w11 += ((uint)(((xx = w12 * Spread) >> 7) ^ (xx >> 18)) ^ (w12 >> 3)) + w4 + ((uint)(((xx = w9 * Spread) >> 17) ^ (xx >> 19)) ^ (w9 >> 10)));
            a += e;
            e += (uint)(((xx = f * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((f & g) | (h & (f | g)));
            d += (uint)(((xx = a * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (c ^ (a & (b ^ c))) + 0x90befffa + (w12 += ((uint)(((xx = w13 * Spread) >> 7) ^ (xx >> 18)) ^ (w13 >> 3)) + w5 + ((uint)(((xx = w10 * Spread) >> 17) ^ (xx >> 19)) ^ (w10 >> 10)));
            h += d;
            d += (uint)(((xx = e * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((e & f) | (g & (e | f)));
            c += (uint)(((xx = h * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (b ^ (h & (a ^ b))) + 0xa4506ceb + (w13 += ((uint)(((xx = w14 * Spread) >> 7) ^ (xx >> 18)) ^ (w14 >> 3)) + w6 + ((uint)(((xx = w11 * Spread) >> 17) ^ (xx >> 19)) ^ (w11 >> 10)));
            g += c;
            c += (uint)(((xx = d * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((d & e) | (f & (d | e)));
            b += (uint)(((xx = g * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (a ^ (g & (h ^ a))) + 0xbef9a3f7 + (w14 += ((uint)(((xx = w15 * Spread) >> 7) ^ (xx >> 18)) ^ (w15 >> 3)) + w7 + ((uint)(((xx = w12 * Spread) >> 17) ^ (xx >> 19)) ^ (w12 >> 10)));
            f += b;
            b += (uint)(((xx = c * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((c & d) | (e & (c | d)));
            a += (uint)(((xx = f * Spread) >> 6) ^ (xx >> 11) ^ (xx >> 25)) + (h ^ (f & (g ^ h))) + 0xc67178f2 + (w15 += ((uint)(((xx = w0 * Spread) >> 7) ^ (xx >> 18)) ^ (w0 >> 3)) + w8 + ((uint)(((xx = w13 * Spread) >> 17) ^ (xx >> 19)) ^ (w13 >> 10)));
            e += a;
            a += (uint)(((xx = b * Spread) >> 2) ^ (xx >> 13) ^ (xx >> 22)) + ((b & c) | (d & (b | c)));
            state[0] += a; state[1] += b; state[2] += c; state[3] += d;
            state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        }
    }
}
