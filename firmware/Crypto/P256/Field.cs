namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>
    /// Arithmetic modulo p = 2^256 - 2^224 + 2^192 + 2^96 - 1 on eight 32-bit limbs, least significant
    /// first. Every result is fully reduced (0 ≤ x &lt; p). Nothing allocates: callers pass the outputs,
    /// which may alias the inputs. Reduction is the NIST (Solinas) fast reduction of FIPS 186-4 D.2.3.
    /// No branch or index depends on the values: the same instructions run for every input.
    /// </summary>
    public static class Field
    {
        public const int Limbs = 8;

        public static readonly uint[] P = new uint[] { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xFFFFFFFF };

        public static uint[] Create()
        {
            return new uint[Limbs];
        }

        public static void Copy(uint[] source, uint[] destination)
        {
            System.Array.Copy(source, destination, Limbs);
        }

        public static void SetZero(uint[] r)
        {
            System.Array.Clear(r, 0, Limbs);
        }

        public static void SetOne(uint[] r)
        {
            System.Array.Clear(r, 0, Limbs);
            r[0] = 1;
        }

        public static bool IsZero(uint[] a)
        {
            uint acc = 0;
            for (int i = 0; i < Limbs; i++)
            {
                acc |= a[i];
            }

            return acc == 0;
        }

        /// <summary>All-ones when a == 0, else zero; for constant-time selection.</summary>
        public static uint ZeroMask(uint[] a)
        {
            uint acc = 0;
            for (int i = 0; i < Limbs; i++)
            {
                acc |= a[i];
            }

            // (acc | -acc) has its top bit set iff acc != 0.
            return (uint)((long)((acc | (uint)(-(int)acc)) >> 31) - 1);
        }

        public static bool AreEqual(uint[] a, uint[] b)
        {
            uint acc = 0;
            for (int i = 0; i < Limbs; i++)
            {
                acc |= a[i] ^ b[i];
            }

            return acc == 0;
        }

        /// <summary>r = mask ? a : r (mask is all-ones or zero).</summary>
        public static void Select(uint[] r, uint[] a, uint mask)
        {
            for (int i = 0; i < Limbs; i++)
            {
                r[i] = (r[i] & ~mask) | (a[i] & mask);
            }
        }

        public static void Add(uint[] r, uint[] a, uint[] b)
        {
            ReduceOnce(r, AddLimbs(r, a, b));
        }

        /// <summary>r = a + b over the 8 limbs; returns the carry out (0 or 1). Shared with Scalar.</summary>
        internal static uint AddLimbs(uint[] r, uint[] a, uint[] b)
        {
            ulong carry = 0;
            for (int i = 0; i < Limbs; i++)
            {
                carry += (ulong)a[i] + b[i];
                r[i] = (uint)carry;
                carry >>= 32;
            }

            return (uint)carry;
        }

        public static void Subtract(uint[] r, uint[] a, uint[] b)
        {
            long borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow += (long)a[i] - b[i];
                r[i] = (uint)borrow;
                borrow >>= 32;
            }

            // On borrow add p back: mask is all-ones when a < b.
            uint mask = (uint)borrow;
            ulong carry = 0;
            for (int i = 0; i < Limbs; i++)
            {
                carry += (ulong)r[i] + (P[i] & mask);
                r[i] = (uint)carry;
                carry >>= 32;
            }
        }

        public static void Negate(uint[] r, uint[] a)
        {
            // p - a, then 0 when a was 0 (p itself is not a reduced value).
            uint zero = ZeroMask(a);
            long borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow += (long)P[i] - a[i];
                r[i] = (uint)borrow & ~zero;
                borrow >>= 32;
            }
        }

        public static void Double(uint[] r, uint[] a)
        {
            Add(r, a, a);
        }

        public static void Multiply(uint[] r, uint[] a, uint[] b)
        {
            CryptoCounters.FieldMultiplications++;

            // Schoolbook product into column accumulators held in locals (no temporary array, no allocation);
            // each column gathers the low and high halves of its 32x32-bit products, then carries ripple up.
            ulong a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
            ulong b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7];
            long x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0, x8 = 0, x9 = 0, x10 = 0, x11 = 0, x12 = 0, x13 = 0, x14 = 0, x15 = 0;
            ulong m;
            m = a0 * b0; x0 += (long)(m & 0xFFFFFFFF); x1 += (long)(m >> 32);
            m = a0 * b1; x1 += (long)(m & 0xFFFFFFFF); x2 += (long)(m >> 32);
            m = a0 * b2; x2 += (long)(m & 0xFFFFFFFF); x3 += (long)(m >> 32);
            m = a0 * b3; x3 += (long)(m & 0xFFFFFFFF); x4 += (long)(m >> 32);
            m = a0 * b4; x4 += (long)(m & 0xFFFFFFFF); x5 += (long)(m >> 32);
            m = a0 * b5; x5 += (long)(m & 0xFFFFFFFF); x6 += (long)(m >> 32);
            m = a0 * b6; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a0 * b7; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a1 * b0; x1 += (long)(m & 0xFFFFFFFF); x2 += (long)(m >> 32);
            m = a1 * b1; x2 += (long)(m & 0xFFFFFFFF); x3 += (long)(m >> 32);
            m = a1 * b2; x3 += (long)(m & 0xFFFFFFFF); x4 += (long)(m >> 32);
            m = a1 * b3; x4 += (long)(m & 0xFFFFFFFF); x5 += (long)(m >> 32);
            m = a1 * b4; x5 += (long)(m & 0xFFFFFFFF); x6 += (long)(m >> 32);
            m = a1 * b5; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a1 * b6; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a1 * b7; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a2 * b0; x2 += (long)(m & 0xFFFFFFFF); x3 += (long)(m >> 32);
            m = a2 * b1; x3 += (long)(m & 0xFFFFFFFF); x4 += (long)(m >> 32);
            m = a2 * b2; x4 += (long)(m & 0xFFFFFFFF); x5 += (long)(m >> 32);
            m = a2 * b3; x5 += (long)(m & 0xFFFFFFFF); x6 += (long)(m >> 32);
            m = a2 * b4; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a2 * b5; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a2 * b6; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a2 * b7; x9 += (long)(m & 0xFFFFFFFF); x10 += (long)(m >> 32);
            m = a3 * b0; x3 += (long)(m & 0xFFFFFFFF); x4 += (long)(m >> 32);
            m = a3 * b1; x4 += (long)(m & 0xFFFFFFFF); x5 += (long)(m >> 32);
            m = a3 * b2; x5 += (long)(m & 0xFFFFFFFF); x6 += (long)(m >> 32);
            m = a3 * b3; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a3 * b4; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a3 * b5; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a3 * b6; x9 += (long)(m & 0xFFFFFFFF); x10 += (long)(m >> 32);
            m = a3 * b7; x10 += (long)(m & 0xFFFFFFFF); x11 += (long)(m >> 32);
            m = a4 * b0; x4 += (long)(m & 0xFFFFFFFF); x5 += (long)(m >> 32);
            m = a4 * b1; x5 += (long)(m & 0xFFFFFFFF); x6 += (long)(m >> 32);
            m = a4 * b2; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a4 * b3; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a4 * b4; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a4 * b5; x9 += (long)(m & 0xFFFFFFFF); x10 += (long)(m >> 32);
            m = a4 * b6; x10 += (long)(m & 0xFFFFFFFF); x11 += (long)(m >> 32);
            m = a4 * b7; x11 += (long)(m & 0xFFFFFFFF); x12 += (long)(m >> 32);
            m = a5 * b0; x5 += (long)(m & 0xFFFFFFFF); x6 += (long)(m >> 32);
            m = a5 * b1; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a5 * b2; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a5 * b3; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a5 * b4; x9 += (long)(m & 0xFFFFFFFF); x10 += (long)(m >> 32);
            m = a5 * b5; x10 += (long)(m & 0xFFFFFFFF); x11 += (long)(m >> 32);
            m = a5 * b6; x11 += (long)(m & 0xFFFFFFFF); x12 += (long)(m >> 32);
            m = a5 * b7; x12 += (long)(m & 0xFFFFFFFF); x13 += (long)(m >> 32);
            m = a6 * b0; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a6 * b1; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a6 * b2; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a6 * b3; x9 += (long)(m & 0xFFFFFFFF); x10 += (long)(m >> 32);
            m = a6 * b4; x10 += (long)(m & 0xFFFFFFFF); x11 += (long)(m >> 32);
            m = a6 * b5; x11 += (long)(m & 0xFFFFFFFF); x12 += (long)(m >> 32);
            m = a6 * b6; x12 += (long)(m & 0xFFFFFFFF); x13 += (long)(m >> 32);
            m = a6 * b7; x13 += (long)(m & 0xFFFFFFFF); x14 += (long)(m >> 32);
            m = a7 * b0; x7 += (long)(m & 0xFFFFFFFF); x8 += (long)(m >> 32);
            m = a7 * b1; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a7 * b2; x9 += (long)(m & 0xFFFFFFFF); x10 += (long)(m >> 32);
            m = a7 * b3; x10 += (long)(m & 0xFFFFFFFF); x11 += (long)(m >> 32);
            m = a7 * b4; x11 += (long)(m & 0xFFFFFFFF); x12 += (long)(m >> 32);
            m = a7 * b5; x12 += (long)(m & 0xFFFFFFFF); x13 += (long)(m >> 32);
            m = a7 * b6; x13 += (long)(m & 0xFFFFFFFF); x14 += (long)(m >> 32);
            m = a7 * b7; x14 += (long)(m & 0xFFFFFFFF); x15 += (long)(m >> 32);
            Reduce(r, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15);
        }

        public static void Square(uint[] r, uint[] a)
        {
            CryptoCounters.FieldSquarings++;

            // As Multiply, with each cross product computed once and doubled: 36 products instead of 64.
            ulong a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
            long x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0, x8 = 0, x9 = 0, x10 = 0, x11 = 0, x12 = 0, x13 = 0, x14 = 0, x15 = 0;
            ulong m;
            m = a0 * a0; x0 += (long)(m & 0xFFFFFFFF); x1 += (long)(m >> 32);
            m = a0 * a1; x1 += 2 * (long)(m & 0xFFFFFFFF); x2 += 2 * (long)(m >> 32);
            m = a0 * a2; x2 += 2 * (long)(m & 0xFFFFFFFF); x3 += 2 * (long)(m >> 32);
            m = a0 * a3; x3 += 2 * (long)(m & 0xFFFFFFFF); x4 += 2 * (long)(m >> 32);
            m = a0 * a4; x4 += 2 * (long)(m & 0xFFFFFFFF); x5 += 2 * (long)(m >> 32);
            m = a0 * a5; x5 += 2 * (long)(m & 0xFFFFFFFF); x6 += 2 * (long)(m >> 32);
            m = a0 * a6; x6 += 2 * (long)(m & 0xFFFFFFFF); x7 += 2 * (long)(m >> 32);
            m = a0 * a7; x7 += 2 * (long)(m & 0xFFFFFFFF); x8 += 2 * (long)(m >> 32);
            m = a1 * a1; x2 += (long)(m & 0xFFFFFFFF); x3 += (long)(m >> 32);
            m = a1 * a2; x3 += 2 * (long)(m & 0xFFFFFFFF); x4 += 2 * (long)(m >> 32);
            m = a1 * a3; x4 += 2 * (long)(m & 0xFFFFFFFF); x5 += 2 * (long)(m >> 32);
            m = a1 * a4; x5 += 2 * (long)(m & 0xFFFFFFFF); x6 += 2 * (long)(m >> 32);
            m = a1 * a5; x6 += 2 * (long)(m & 0xFFFFFFFF); x7 += 2 * (long)(m >> 32);
            m = a1 * a6; x7 += 2 * (long)(m & 0xFFFFFFFF); x8 += 2 * (long)(m >> 32);
            m = a1 * a7; x8 += 2 * (long)(m & 0xFFFFFFFF); x9 += 2 * (long)(m >> 32);
            m = a2 * a2; x4 += (long)(m & 0xFFFFFFFF); x5 += (long)(m >> 32);
            m = a2 * a3; x5 += 2 * (long)(m & 0xFFFFFFFF); x6 += 2 * (long)(m >> 32);
            m = a2 * a4; x6 += 2 * (long)(m & 0xFFFFFFFF); x7 += 2 * (long)(m >> 32);
            m = a2 * a5; x7 += 2 * (long)(m & 0xFFFFFFFF); x8 += 2 * (long)(m >> 32);
            m = a2 * a6; x8 += 2 * (long)(m & 0xFFFFFFFF); x9 += 2 * (long)(m >> 32);
            m = a2 * a7; x9 += 2 * (long)(m & 0xFFFFFFFF); x10 += 2 * (long)(m >> 32);
            m = a3 * a3; x6 += (long)(m & 0xFFFFFFFF); x7 += (long)(m >> 32);
            m = a3 * a4; x7 += 2 * (long)(m & 0xFFFFFFFF); x8 += 2 * (long)(m >> 32);
            m = a3 * a5; x8 += 2 * (long)(m & 0xFFFFFFFF); x9 += 2 * (long)(m >> 32);
            m = a3 * a6; x9 += 2 * (long)(m & 0xFFFFFFFF); x10 += 2 * (long)(m >> 32);
            m = a3 * a7; x10 += 2 * (long)(m & 0xFFFFFFFF); x11 += 2 * (long)(m >> 32);
            m = a4 * a4; x8 += (long)(m & 0xFFFFFFFF); x9 += (long)(m >> 32);
            m = a4 * a5; x9 += 2 * (long)(m & 0xFFFFFFFF); x10 += 2 * (long)(m >> 32);
            m = a4 * a6; x10 += 2 * (long)(m & 0xFFFFFFFF); x11 += 2 * (long)(m >> 32);
            m = a4 * a7; x11 += 2 * (long)(m & 0xFFFFFFFF); x12 += 2 * (long)(m >> 32);
            m = a5 * a5; x10 += (long)(m & 0xFFFFFFFF); x11 += (long)(m >> 32);
            m = a5 * a6; x11 += 2 * (long)(m & 0xFFFFFFFF); x12 += 2 * (long)(m >> 32);
            m = a5 * a7; x12 += 2 * (long)(m & 0xFFFFFFFF); x13 += 2 * (long)(m >> 32);
            m = a6 * a6; x12 += (long)(m & 0xFFFFFFFF); x13 += (long)(m >> 32);
            m = a6 * a7; x13 += 2 * (long)(m & 0xFFFFFFFF); x14 += 2 * (long)(m >> 32);
            m = a7 * a7; x14 += (long)(m & 0xFFFFFFFF); x15 += (long)(m >> 32);
            Reduce(r, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15);
        }

        /// <summary>r = a^(p-2) = a^-1 (0 for 0): 255 squarings and 12 multiplications.</summary>
        public static void Invert(uint[] r, uint[] a, uint[] t0, uint[] t1, uint[] t2, uint[] t3)
        {
            // t0 = a^(2^2-1), t1 = a^(2^3-1)
            Square(t0, a); Multiply(t0, t0, a);
            Square(t1, t0); Multiply(t1, t1, a);
            // t2 = a^(2^6-1), a^(2^12-1), a^(2^15-1)
            SquareTimes(t2, t1, 3); Multiply(t2, t2, t1);
            SquareTimes(t3, t2, 6); Multiply(t3, t3, t2);
            SquareTimes(t3, t3, 3); Multiply(t3, t3, t1);       // t3 = a^(2^15-1)
            SquareTimes(t2, t3, 15); Multiply(t2, t2, t3);      // t2 = a^(2^30-1)
            SquareTimes(t1, t2, 2); Multiply(t1, t1, t0);       // t1 = a^(2^32-1)

            // p-2 = ffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff fffffffd
            SquareTimes(r, t1, 32); Multiply(r, r, a);
            SquareTimes(r, r, 96);
            SquareTimes(r, r, 32); Multiply(r, r, t1);
            SquareTimes(r, r, 32); Multiply(r, r, t1);
            SquareTimes(r, r, 30); Multiply(r, r, t2);
            SquareTimes(r, r, 2); Multiply(r, r, a);
        }

        /// <summary>
        /// r = a^((p+1)/4), the square root when one exists (p ≡ 3 mod 4); callers check r² == a.
        /// (p+1)/4 = 3fffffff c0000000 40000000 00000000 00000000 40000000 00000000 00000000.
        /// </summary>
        public static void SquareRoot(uint[] r, uint[] a, uint[] t0, uint[] t1)
        {
            // t0 = a^(2^32-1) by repeated doubling of the exponent's run of ones.
            Square(t0, a); Multiply(t0, t0, a);             // 2^2-1
            SquareTimes(t1, t0, 2); Multiply(t1, t1, t0);   // 2^4-1
            SquareTimes(t0, t1, 4); Multiply(t0, t0, t1);   // 2^8-1
            SquareTimes(t1, t0, 8); Multiply(t1, t1, t0);   // 2^16-1
            SquareTimes(t0, t1, 16); Multiply(t0, t0, t1);  // 2^32-1
            // exponent bits from the top: (2^32-1) << 224, +1 << 192, +1 << 94
            SquareTimes(r, t0, 32); Multiply(r, r, a);      // ffffffff 00000001
            SquareTimes(r, r, 96); Multiply(r, r, a);       // … 00000000 00000000 00000001
            SquareTimes(r, r, 94);                          // shift to align: total exponent (p+1)/4
        }

        public static void SquareTimes(uint[] r, uint[] a, int times)
        {
            Square(r, a);
            for (int i = 1; i < times; i++)
            {
                Square(r, r);
            }
        }

        /// <summary>Big-endian 32 bytes → limbs. False when the value is not below p (an invalid coordinate).</summary>
        public static bool TryDecode(byte[] bytes, int offset, uint[] r)
        {
            for (int i = 0; i < Limbs; i++)
            {
                r[i] = Bytes.ReadUInt32BigEndian(bytes, offset + 4 * (Limbs - 1 - i));
            }

            return LessThan(r, P);
        }

        public static void Encode(uint[] a, byte[] bytes, int offset)
        {
            for (int i = 0; i < Limbs; i++)
            {
                Bytes.WriteUInt32BigEndian(a[i], bytes, offset + 4 * (Limbs - 1 - i));
            }
        }

        /// <summary>a &lt; b for 8-limb unsigned integers, constant-time.</summary>
        public static bool LessThan(uint[] a, uint[] b)
        {
            long borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow += (long)a[i] - b[i];
                borrow >>= 32;
            }

            return borrow != 0;
        }

        /// <summary>Subtracts p once when value + carry·2^256 ≥ p (the value is below 2p; carry is 0 or 1).</summary>
        private static void ReduceOnce(uint[] r, uint carry)
        {
            SubtractModulusOnce(r, carry, P);
        }

        /// <summary>
        /// carry·2^256 + r, known to be below 2·modulus, brought below modulus with one subtraction that is
        /// always computed and applied through a mask (no branch on the value). Shared with Scalar (modulus n).
        /// </summary>
        internal static void SubtractModulusOnce(uint[] r, uint carry, uint[] modulus)
        {
            long borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow += (long)r[i] - modulus[i];
                borrow >>= 32;
            }

            // borrow is -1 when r < modulus. Subtract unless r < modulus and there is no carry: mask all-ones = subtract.
            uint subtract = ~(uint)(borrow + carry);
            borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow += (long)r[i] - (modulus[i] & subtract);
                r[i] = (uint)borrow;
                borrow >>= 32;
            }
        }

        private static void Reduce(uint[] o, long c0, long c1, long c2, long c3, long c4, long c5, long c6, long c7,
            long c8, long c9, long c10, long c11, long c12, long c13, long c14, long c15)
        {
            // The column sums of the product, carried into 32-bit limbs c0..c14 (c15 takes the rest).
            c1 += c0 >> 32; c0 &= 0xFFFFFFFF;
            c2 += c1 >> 32; c1 &= 0xFFFFFFFF;
            c3 += c2 >> 32; c2 &= 0xFFFFFFFF;
            c4 += c3 >> 32; c3 &= 0xFFFFFFFF;
            c5 += c4 >> 32; c4 &= 0xFFFFFFFF;
            c6 += c5 >> 32; c5 &= 0xFFFFFFFF;
            c7 += c6 >> 32; c6 &= 0xFFFFFFFF;
            c8 += c7 >> 32; c7 &= 0xFFFFFFFF;
            c9 += c8 >> 32; c8 &= 0xFFFFFFFF;
            c10 += c9 >> 32; c9 &= 0xFFFFFFFF;
            c11 += c10 >> 32; c10 &= 0xFFFFFFFF;
            c12 += c11 >> 32; c11 &= 0xFFFFFFFF;
            c13 += c12 >> 32; c12 &= 0xFFFFFFFF;
            c14 += c13 >> 32; c13 &= 0xFFFFFFFF;
            c15 += c14 >> 32; c14 &= 0xFFFFFFFF;

            // r = s1 + 2 s2 + 2 s3 + s4 + s5 - s6 - s7 - s8 - s9, limb by limb (FIPS 186-4 D.2.3).
            long t0 = c0 + c8 + c9 - c11 - c12 - c13 - c14;
            long t1 = c1 + c9 + c10 - c12 - c13 - c14 - c15;
            long t2 = c2 + c10 + c11 - c13 - c14 - c15;
            long t3 = c3 + 2 * c11 + 2 * c12 + c13 - c15 - c8 - c9;
            long t4 = c4 + 2 * c12 + 2 * c13 + c14 - c9 - c10;
            long t5 = c5 + 2 * c13 + 2 * c14 + c15 - c10 - c11;
            long t6 = c6 + 3 * c14 + 2 * c15 + c13 - c8 - c9;
            long t7 = c7 + 3 * c15 + c8 - c10 - c11 - c12 - c13;
            long carry = Propagate(o, t0, t1, t2, t3, t4, t5, t6, t7);

            // Fold the carry twice with 2^256 ≡ 2^224 - 2^192 - 2^96 + 1 (mod p): it shrinks to 0 or ±1, then 0.
            for (int round = 0; round < 2; round++)
            {
                carry = Propagate(o, o[0] + carry, o[1], o[2], (long)o[3] - carry, o[4], o[5], (long)o[6] - carry, o[7] + carry);
            }

            // Now 0 ≤ value < 2^256 < 2p: one conditional subtraction.
            ReduceOnce(o, 0);
        }

        private static long Propagate(uint[] o, long t0, long t1, long t2, long t3, long t4, long t5, long t6, long t7)
        {
            long carry = t0;
            o[0] = (uint)carry; carry >>= 32;
            carry += t1; o[1] = (uint)carry; carry >>= 32;
            carry += t2; o[2] = (uint)carry; carry >>= 32;
            carry += t3; o[3] = (uint)carry; carry >>= 32;
            carry += t4; o[4] = (uint)carry; carry >>= 32;
            carry += t5; o[5] = (uint)carry; carry >>= 32;
            carry += t6; o[6] = (uint)carry; carry >>= 32;
            carry += t7; o[7] = (uint)carry; carry >>= 32;
            return carry;
        }
    }
}
