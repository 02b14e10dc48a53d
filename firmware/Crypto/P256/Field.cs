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

        private static readonly uint[] Zero = new uint[Limbs];

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
            ulong c = (ulong)a[0] + b[0];
            uint s0 = (uint)c;
            c = (c >> 32) + a[1] + b[1];
            uint s1 = (uint)c;
            c = (c >> 32) + a[2] + b[2];
            uint s2 = (uint)c;
            c = (c >> 32) + a[3] + b[3];
            uint s3 = (uint)c;
            c = (c >> 32) + a[4] + b[4];
            uint s4 = (uint)c;
            c = (c >> 32) + a[5] + b[5];
            uint s5 = (uint)c;
            c = (c >> 32) + a[6] + b[6];
            uint s6 = (uint)c;
            c = (c >> 32) + a[7] + b[7];
            SubtractPOnce(r, s0, s1, s2, s3, s4, s5, s6, (uint)c, (uint)(c >> 32));
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
            long d = (long)a[0] - b[0];
            uint d0 = (uint)d;
            d = (d >> 32) + a[1] - b[1];
            uint d1 = (uint)d;
            d = (d >> 32) + a[2] - b[2];
            uint d2 = (uint)d;
            d = (d >> 32) + a[3] - b[3];
            uint d3 = (uint)d;
            d = (d >> 32) + a[4] - b[4];
            uint d4 = (uint)d;
            d = (d >> 32) + a[5] - b[5];
            uint d5 = (uint)d;
            d = (d >> 32) + a[6] - b[6];
            uint d6 = (uint)d;
            d = (d >> 32) + a[7] - b[7];
            uint d7 = (uint)d;

            // On borrow add p back (mask all-ones when a < b); p's limbs are 2^32-1, 0 or 1.
            uint mask = (uint)(d >> 32);
            ulong c = (ulong)d0 + mask;
            r[0] = (uint)c;
            c = (c >> 32) + d1 + mask;
            r[1] = (uint)c;
            c = (c >> 32) + d2 + mask;
            r[2] = (uint)c;
            c = (c >> 32) + d3;
            r[3] = (uint)c;
            c = (c >> 32) + d4;
            r[4] = (uint)c;
            c = (c >> 32) + d5;
            r[5] = (uint)c;
            c = (c >> 32) + d6 + (mask & 1);
            r[6] = (uint)c;
            r[7] = (uint)((c >> 32) + d7 + mask);
        }

        public static void Negate(uint[] r, uint[] a)
        {
            // 0 - a, plus p on the borrow: p - a, and 0 for 0 (p itself is not a reduced value).
            Subtract(r, Zero, a);
        }

        /// <summary>r = k·a mod p for a small k (up to 2^30): one reduction instead of a chain of additions.</summary>
        public static void MultiplySmall(uint[] r, uint[] a, uint k)
        {
            Finish(r, (long)a[0] * k, (long)a[1] * k, (long)a[2] * k, (long)a[3] * k, (long)a[4] * k, (long)a[5] * k, (long)a[6] * k, (long)a[7] * k);
        }

        public static void Double(uint[] r, uint[] a)
        {
            Add(r, a, a);
        }

        public static void Multiply(uint[] r, uint[] a, uint[] b)
        {
            CryptoCounters.FieldMultiplications++;

            // Column k of the schoolbook product as one expression: the low halves of the products a_i·b_j with
            // i + j = k and the high halves of those with i + j = k - 1 (each sum below 2^36, no carry chain here:
            // Reduce works on columns of any size). One expression per column keeps the partial sums on the
            // interpreter's stack instead of in locals: 12 opcodes per product.
            ulong a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
            ulong b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7];
            Reduce(r,
                (long)((ulong)(uint)(a0 * b0)),
                (long)((ulong)(uint)(a0 * b1) + (ulong)(uint)(a1 * b0) + ((a0 * b0) >> 32)),
                (long)((ulong)(uint)(a0 * b2) + (ulong)(uint)(a1 * b1) + (ulong)(uint)(a2 * b0) + ((a0 * b1) >> 32) + ((a1 * b0) >> 32)),
                (long)((ulong)(uint)(a0 * b3) + (ulong)(uint)(a1 * b2) + (ulong)(uint)(a2 * b1) + (ulong)(uint)(a3 * b0) + ((a0 * b2) >> 32) + ((a1 * b1) >> 32) + ((a2 * b0) >> 32)),
                (long)((ulong)(uint)(a0 * b4) + (ulong)(uint)(a1 * b3) + (ulong)(uint)(a2 * b2) + (ulong)(uint)(a3 * b1) + (ulong)(uint)(a4 * b0) + ((a0 * b3) >> 32) + ((a1 * b2) >> 32) + ((a2 * b1) >> 32) + ((a3 * b0) >> 32)),
                (long)((ulong)(uint)(a0 * b5) + (ulong)(uint)(a1 * b4) + (ulong)(uint)(a2 * b3) + (ulong)(uint)(a3 * b2) + (ulong)(uint)(a4 * b1) + (ulong)(uint)(a5 * b0) + ((a0 * b4) >> 32) + ((a1 * b3) >> 32) + ((a2 * b2) >> 32) + ((a3 * b1) >> 32) + ((a4 * b0) >> 32)),
                (long)((ulong)(uint)(a0 * b6) + (ulong)(uint)(a1 * b5) + (ulong)(uint)(a2 * b4) + (ulong)(uint)(a3 * b3) + (ulong)(uint)(a4 * b2) + (ulong)(uint)(a5 * b1) + (ulong)(uint)(a6 * b0) + ((a0 * b5) >> 32) + ((a1 * b4) >> 32) + ((a2 * b3) >> 32) + ((a3 * b2) >> 32) + ((a4 * b1) >> 32) + ((a5 * b0) >> 32)),
                (long)((ulong)(uint)(a0 * b7) + (ulong)(uint)(a1 * b6) + (ulong)(uint)(a2 * b5) + (ulong)(uint)(a3 * b4) + (ulong)(uint)(a4 * b3) + (ulong)(uint)(a5 * b2) + (ulong)(uint)(a6 * b1) + (ulong)(uint)(a7 * b0) + ((a0 * b6) >> 32) + ((a1 * b5) >> 32) + ((a2 * b4) >> 32) + ((a3 * b3) >> 32) + ((a4 * b2) >> 32) + ((a5 * b1) >> 32) + ((a6 * b0) >> 32)),
                (long)((ulong)(uint)(a1 * b7) + (ulong)(uint)(a2 * b6) + (ulong)(uint)(a3 * b5) + (ulong)(uint)(a4 * b4) + (ulong)(uint)(a5 * b3) + (ulong)(uint)(a6 * b2) + (ulong)(uint)(a7 * b1) + ((a0 * b7) >> 32) + ((a1 * b6) >> 32) + ((a2 * b5) >> 32) + ((a3 * b4) >> 32) + ((a4 * b3) >> 32) + ((a5 * b2) >> 32) + ((a6 * b1) >> 32) + ((a7 * b0) >> 32)),
                (long)((ulong)(uint)(a2 * b7) + (ulong)(uint)(a3 * b6) + (ulong)(uint)(a4 * b5) + (ulong)(uint)(a5 * b4) + (ulong)(uint)(a6 * b3) + (ulong)(uint)(a7 * b2) + ((a1 * b7) >> 32) + ((a2 * b6) >> 32) + ((a3 * b5) >> 32) + ((a4 * b4) >> 32) + ((a5 * b3) >> 32) + ((a6 * b2) >> 32) + ((a7 * b1) >> 32)),
                (long)((ulong)(uint)(a3 * b7) + (ulong)(uint)(a4 * b6) + (ulong)(uint)(a5 * b5) + (ulong)(uint)(a6 * b4) + (ulong)(uint)(a7 * b3) + ((a2 * b7) >> 32) + ((a3 * b6) >> 32) + ((a4 * b5) >> 32) + ((a5 * b4) >> 32) + ((a6 * b3) >> 32) + ((a7 * b2) >> 32)),
                (long)((ulong)(uint)(a4 * b7) + (ulong)(uint)(a5 * b6) + (ulong)(uint)(a6 * b5) + (ulong)(uint)(a7 * b4) + ((a3 * b7) >> 32) + ((a4 * b6) >> 32) + ((a5 * b5) >> 32) + ((a6 * b4) >> 32) + ((a7 * b3) >> 32)),
                (long)((ulong)(uint)(a5 * b7) + (ulong)(uint)(a6 * b6) + (ulong)(uint)(a7 * b5) + ((a4 * b7) >> 32) + ((a5 * b6) >> 32) + ((a6 * b5) >> 32) + ((a7 * b4) >> 32)),
                (long)((ulong)(uint)(a6 * b7) + (ulong)(uint)(a7 * b6) + ((a5 * b7) >> 32) + ((a6 * b6) >> 32) + ((a7 * b5) >> 32)),
                (long)((ulong)(uint)(a7 * b7) + ((a6 * b7) >> 32) + ((a7 * b6) >> 32)),
                (long)(((a7 * b7) >> 32)));
        }

        public static void Square(uint[] r, uint[] a)
        {
            CryptoCounters.FieldSquarings++;

            // As Multiply, with each cross product a_i·a_j (i < j) computed once and the column's cross sum doubled.
            ulong a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
            Reduce(r,
                (long)((ulong)(uint)(a0 * a0)),
                (long)((((ulong)(uint)(a0 * a1)) << 1) + ((a0 * a0) >> 32)),
                (long)((((ulong)(uint)(a0 * a2) + ((a0 * a1) >> 32)) << 1) + (ulong)(uint)(a1 * a1)),
                (long)((((ulong)(uint)(a0 * a3) + (ulong)(uint)(a1 * a2) + ((a0 * a2) >> 32)) << 1) + ((a1 * a1) >> 32)),
                (long)((((ulong)(uint)(a0 * a4) + (ulong)(uint)(a1 * a3) + ((a0 * a3) >> 32) + ((a1 * a2) >> 32)) << 1) + (ulong)(uint)(a2 * a2)),
                (long)((((ulong)(uint)(a0 * a5) + (ulong)(uint)(a1 * a4) + (ulong)(uint)(a2 * a3) + ((a0 * a4) >> 32) + ((a1 * a3) >> 32)) << 1) + ((a2 * a2) >> 32)),
                (long)((((ulong)(uint)(a0 * a6) + (ulong)(uint)(a1 * a5) + (ulong)(uint)(a2 * a4) + ((a0 * a5) >> 32) + ((a1 * a4) >> 32) + ((a2 * a3) >> 32)) << 1) + (ulong)(uint)(a3 * a3)),
                (long)((((ulong)(uint)(a0 * a7) + (ulong)(uint)(a1 * a6) + (ulong)(uint)(a2 * a5) + (ulong)(uint)(a3 * a4) + ((a0 * a6) >> 32) + ((a1 * a5) >> 32) + ((a2 * a4) >> 32)) << 1) + ((a3 * a3) >> 32)),
                (long)((((ulong)(uint)(a1 * a7) + (ulong)(uint)(a2 * a6) + (ulong)(uint)(a3 * a5) + ((a0 * a7) >> 32) + ((a1 * a6) >> 32) + ((a2 * a5) >> 32) + ((a3 * a4) >> 32)) << 1) + (ulong)(uint)(a4 * a4)),
                (long)((((ulong)(uint)(a2 * a7) + (ulong)(uint)(a3 * a6) + (ulong)(uint)(a4 * a5) + ((a1 * a7) >> 32) + ((a2 * a6) >> 32) + ((a3 * a5) >> 32)) << 1) + ((a4 * a4) >> 32)),
                (long)((((ulong)(uint)(a3 * a7) + (ulong)(uint)(a4 * a6) + ((a2 * a7) >> 32) + ((a3 * a6) >> 32) + ((a4 * a5) >> 32)) << 1) + (ulong)(uint)(a5 * a5)),
                (long)((((ulong)(uint)(a4 * a7) + (ulong)(uint)(a5 * a6) + ((a3 * a7) >> 32) + ((a4 * a6) >> 32)) << 1) + ((a5 * a5) >> 32)),
                (long)((((ulong)(uint)(a5 * a7) + ((a4 * a7) >> 32) + ((a5 * a6) >> 32)) << 1) + (ulong)(uint)(a6 * a6)),
                (long)((((ulong)(uint)(a6 * a7) + ((a5 * a7) >> 32)) << 1) + ((a6 * a6) >> 32)),
                (long)(((((a6 * a7) >> 32)) << 1) + (ulong)(uint)(a7 * a7)),
                (long)(((a7 * a7) >> 32)));
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
            // r = s1 + 2 s2 + 2 s3 + s4 + s5 - s6 - s7 - s8 - s9, limb by limb (FIPS 186-4 D.2.3). The identity is
            // linear in the columns, so they need no carrying into 32-bit limbs first: Finish carries once.
            Finish(o,
                c0 + c8 + c9 - c11 - c12 - c13 - c14,
                c1 + c9 + c10 - c12 - c13 - c14 - c15,
                c2 + c10 + c11 - c13 - c14 - c15,
                c3 + 2 * (c11 + c12) + c13 - c15 - c8 - c9,
                c4 + 2 * (c12 + c13) + c14 - c9 - c10,
                c5 + 2 * (c13 + c14) + c15 - c10 - c11,
                c6 + 3 * c14 + 2 * c15 + c13 - c8 - c9,
                c7 + 3 * c15 + c8 - c10 - c11 - c12 - c13);
        }

        /// <summary>
        /// o = (Σ t_i·2^(32i)) mod p for signed limbs with |value| &lt; 2^286: carried into 32-bit limbs, the carry
        /// out folded back twice with 2^256 ≡ 2^224 - 2^192 - 2^96 + 1 (mod p) (the first fold leaves a carry of
        /// 0 or ±1, the second none), then one masked subtraction of p. Straight-line: the same opcodes for every value.
        /// </summary>
        private static void Finish(uint[] o, long t0, long t1, long t2, long t3, long t4, long t5, long t6, long t7)
        {
            long c = t0;
            uint r0 = (uint)c;
            c = (c >> 32) + t1;
            uint r1 = (uint)c;
            c = (c >> 32) + t2;
            uint r2 = (uint)c;
            c = (c >> 32) + t3;
            uint r3 = (uint)c;
            c = (c >> 32) + t4;
            uint r4 = (uint)c;
            c = (c >> 32) + t5;
            uint r5 = (uint)c;
            c = (c >> 32) + t6;
            uint r6 = (uint)c;
            c = (c >> 32) + t7;
            uint r7 = (uint)c;
            for (int round = 0; round < 2; round++)
            {
                long f = c >> 32;
                c = r0 + f;
                r0 = (uint)c;
                c = (c >> 32) + r1;
                r1 = (uint)c;
                c = (c >> 32) + r2;
                r2 = (uint)c;
                c = (c >> 32) + r3 - f;
                r3 = (uint)c;
                c = (c >> 32) + r4;
                r4 = (uint)c;
                c = (c >> 32) + r5;
                r5 = (uint)c;
                c = (c >> 32) + r6 - f;
                r6 = (uint)c;
                c = (c >> 32) + r7 + f;
                r7 = (uint)c;
            }

            // Now 0 ≤ value < 2^256 < 2p.
            SubtractPOnce(o, r0, r1, r2, r3, r4, r5, r6, r7, 0);
        }

        /// <summary>o = s - p when carry·2^256 + s ≥ p, else s (s + carry·2^256 is below 2p), by mask.</summary>
        private static void SubtractPOnce(uint[] o, uint s0, uint s1, uint s2, uint s3, uint s4, uint s5, uint s6, uint s7, uint carry)
        {
            long d = (long)s0 - 0xFFFFFFFF;
            uint d0 = (uint)d;
            d = (d >> 32) + s1 - 0xFFFFFFFF;
            uint d1 = (uint)d;
            d = (d >> 32) + s2 - 0xFFFFFFFF;
            uint d2 = (uint)d;
            d = (d >> 32) + s3;
            uint d3 = (uint)d;
            d = (d >> 32) + s4;
            uint d4 = (uint)d;
            d = (d >> 32) + s5;
            uint d5 = (uint)d;
            d = (d >> 32) + s6 - 1;
            uint d6 = (uint)d;
            d = (d >> 32) + s7 - 0xFFFFFFFF;
            uint d7 = (uint)d;

            // d >> 32 is -1 when s < p. Keep s (mask all-ones) only when s < p and there is no carry.
            uint keep = (uint)((d >> 32) + carry);
            o[0] = d0 ^ ((d0 ^ s0) & keep);
            o[1] = d1 ^ ((d1 ^ s1) & keep);
            o[2] = d2 ^ ((d2 ^ s2) & keep);
            o[3] = d3 ^ ((d3 ^ s3) & keep);
            o[4] = d4 ^ ((d4 ^ s4) & keep);
            o[5] = d5 ^ ((d5 ^ s5) & keep);
            o[6] = d6 ^ ((d6 ^ s6) & keep);
            o[7] = d7 ^ ((d7 ^ s7) & keep);
        }
    }
}
