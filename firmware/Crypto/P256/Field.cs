namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>
    /// Arithmetic modulo p = 2^256 - 2^224 + 2^192 + 2^96 - 1 on eight 32-bit limbs, least significant
    /// first. Every result is fully reduced (0 ≤ x &lt; p). Nothing allocates: callers pass the outputs,
    /// which may alias the inputs. Reduction is the NIST (Solinas) fast reduction of FIPS 186-4 D.2.3.
    /// No branch or index depends on the values: the same instructions run for every input.
    /// Every carry, borrow and mask is computed in unsigned arithmetic and read with unsigned shifts (IL shr.un):
    /// nanoCLR makes a signed shift (shr) logical for values computed from unsigned operands, so no signed value
    /// is ever right-shifted here (docs/crypto.md, "Why the field and scalar code is unsigned").
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
            return ((acc | (uint)(-(int)acc)) >> 31) - 1;
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
            // Limb differences in 64-bit two's complement; the borrow into the next limb is the top bit (see the class comment).
            ulong d = (ulong)a[0] - b[0];
            uint d0 = (uint)d;
            d = (ulong)a[1] - b[1] - (d >> 63);
            uint d1 = (uint)d;
            d = (ulong)a[2] - b[2] - (d >> 63);
            uint d2 = (uint)d;
            d = (ulong)a[3] - b[3] - (d >> 63);
            uint d3 = (uint)d;
            d = (ulong)a[4] - b[4] - (d >> 63);
            uint d4 = (uint)d;
            d = (ulong)a[5] - b[5] - (d >> 63);
            uint d5 = (uint)d;
            d = (ulong)a[6] - b[6] - (d >> 63);
            uint d6 = (uint)d;
            d = (ulong)a[7] - b[7] - (d >> 63);
            uint d7 = (uint)d;

            // On borrow add p back (mask all-ones when a < b: the last difference is then in [-2^32, 0), high half
            // all ones); p's limbs are 2^32-1, 0 or 1.
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
            Finish(r, (ulong)a[0] * k, (ulong)a[1] * k, (ulong)a[2] * k, (ulong)a[3] * k, (ulong)a[4] * k, (ulong)a[5] * k, (ulong)a[6] * k, (ulong)a[7] * k);
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
                ((ulong)(uint)(a0 * b0)),
                ((ulong)(uint)(a0 * b1) + (ulong)(uint)(a1 * b0) + ((a0 * b0) >> 32)),
                ((ulong)(uint)(a0 * b2) + (ulong)(uint)(a1 * b1) + (ulong)(uint)(a2 * b0) + ((a0 * b1) >> 32) + ((a1 * b0) >> 32)),
                ((ulong)(uint)(a0 * b3) + (ulong)(uint)(a1 * b2) + (ulong)(uint)(a2 * b1) + (ulong)(uint)(a3 * b0) + ((a0 * b2) >> 32) + ((a1 * b1) >> 32) + ((a2 * b0) >> 32)),
                ((ulong)(uint)(a0 * b4) + (ulong)(uint)(a1 * b3) + (ulong)(uint)(a2 * b2) + (ulong)(uint)(a3 * b1) + (ulong)(uint)(a4 * b0) + ((a0 * b3) >> 32) + ((a1 * b2) >> 32) + ((a2 * b1) >> 32) + ((a3 * b0) >> 32)),
                ((ulong)(uint)(a0 * b5) + (ulong)(uint)(a1 * b4) + (ulong)(uint)(a2 * b3) + (ulong)(uint)(a3 * b2) + (ulong)(uint)(a4 * b1) + (ulong)(uint)(a5 * b0) + ((a0 * b4) >> 32) + ((a1 * b3) >> 32) + ((a2 * b2) >> 32) + ((a3 * b1) >> 32) + ((a4 * b0) >> 32)),
                ((ulong)(uint)(a0 * b6) + (ulong)(uint)(a1 * b5) + (ulong)(uint)(a2 * b4) + (ulong)(uint)(a3 * b3) + (ulong)(uint)(a4 * b2) + (ulong)(uint)(a5 * b1) + (ulong)(uint)(a6 * b0) + ((a0 * b5) >> 32) + ((a1 * b4) >> 32) + ((a2 * b3) >> 32) + ((a3 * b2) >> 32) + ((a4 * b1) >> 32) + ((a5 * b0) >> 32)),
                ((ulong)(uint)(a0 * b7) + (ulong)(uint)(a1 * b6) + (ulong)(uint)(a2 * b5) + (ulong)(uint)(a3 * b4) + (ulong)(uint)(a4 * b3) + (ulong)(uint)(a5 * b2) + (ulong)(uint)(a6 * b1) + (ulong)(uint)(a7 * b0) + ((a0 * b6) >> 32) + ((a1 * b5) >> 32) + ((a2 * b4) >> 32) + ((a3 * b3) >> 32) + ((a4 * b2) >> 32) + ((a5 * b1) >> 32) + ((a6 * b0) >> 32)),
                ((ulong)(uint)(a1 * b7) + (ulong)(uint)(a2 * b6) + (ulong)(uint)(a3 * b5) + (ulong)(uint)(a4 * b4) + (ulong)(uint)(a5 * b3) + (ulong)(uint)(a6 * b2) + (ulong)(uint)(a7 * b1) + ((a0 * b7) >> 32) + ((a1 * b6) >> 32) + ((a2 * b5) >> 32) + ((a3 * b4) >> 32) + ((a4 * b3) >> 32) + ((a5 * b2) >> 32) + ((a6 * b1) >> 32) + ((a7 * b0) >> 32)),
                ((ulong)(uint)(a2 * b7) + (ulong)(uint)(a3 * b6) + (ulong)(uint)(a4 * b5) + (ulong)(uint)(a5 * b4) + (ulong)(uint)(a6 * b3) + (ulong)(uint)(a7 * b2) + ((a1 * b7) >> 32) + ((a2 * b6) >> 32) + ((a3 * b5) >> 32) + ((a4 * b4) >> 32) + ((a5 * b3) >> 32) + ((a6 * b2) >> 32) + ((a7 * b1) >> 32)),
                ((ulong)(uint)(a3 * b7) + (ulong)(uint)(a4 * b6) + (ulong)(uint)(a5 * b5) + (ulong)(uint)(a6 * b4) + (ulong)(uint)(a7 * b3) + ((a2 * b7) >> 32) + ((a3 * b6) >> 32) + ((a4 * b5) >> 32) + ((a5 * b4) >> 32) + ((a6 * b3) >> 32) + ((a7 * b2) >> 32)),
                ((ulong)(uint)(a4 * b7) + (ulong)(uint)(a5 * b6) + (ulong)(uint)(a6 * b5) + (ulong)(uint)(a7 * b4) + ((a3 * b7) >> 32) + ((a4 * b6) >> 32) + ((a5 * b5) >> 32) + ((a6 * b4) >> 32) + ((a7 * b3) >> 32)),
                ((ulong)(uint)(a5 * b7) + (ulong)(uint)(a6 * b6) + (ulong)(uint)(a7 * b5) + ((a4 * b7) >> 32) + ((a5 * b6) >> 32) + ((a6 * b5) >> 32) + ((a7 * b4) >> 32)),
                ((ulong)(uint)(a6 * b7) + (ulong)(uint)(a7 * b6) + ((a5 * b7) >> 32) + ((a6 * b6) >> 32) + ((a7 * b5) >> 32)),
                ((ulong)(uint)(a7 * b7) + ((a6 * b7) >> 32) + ((a7 * b6) >> 32)),
                (((a7 * b7) >> 32)));
        }

        public static void Square(uint[] r, uint[] a)
        {
            CryptoCounters.FieldSquarings++;

            // As Multiply, with each cross product a_i·a_j (i < j) computed once and the column's cross sum doubled.
            ulong a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
            Reduce(r,
                ((ulong)(uint)(a0 * a0)),
                ((((ulong)(uint)(a0 * a1)) << 1) + ((a0 * a0) >> 32)),
                ((((ulong)(uint)(a0 * a2) + ((a0 * a1) >> 32)) << 1) + (ulong)(uint)(a1 * a1)),
                ((((ulong)(uint)(a0 * a3) + (ulong)(uint)(a1 * a2) + ((a0 * a2) >> 32)) << 1) + ((a1 * a1) >> 32)),
                ((((ulong)(uint)(a0 * a4) + (ulong)(uint)(a1 * a3) + ((a0 * a3) >> 32) + ((a1 * a2) >> 32)) << 1) + (ulong)(uint)(a2 * a2)),
                ((((ulong)(uint)(a0 * a5) + (ulong)(uint)(a1 * a4) + (ulong)(uint)(a2 * a3) + ((a0 * a4) >> 32) + ((a1 * a3) >> 32)) << 1) + ((a2 * a2) >> 32)),
                ((((ulong)(uint)(a0 * a6) + (ulong)(uint)(a1 * a5) + (ulong)(uint)(a2 * a4) + ((a0 * a5) >> 32) + ((a1 * a4) >> 32) + ((a2 * a3) >> 32)) << 1) + (ulong)(uint)(a3 * a3)),
                ((((ulong)(uint)(a0 * a7) + (ulong)(uint)(a1 * a6) + (ulong)(uint)(a2 * a5) + (ulong)(uint)(a3 * a4) + ((a0 * a6) >> 32) + ((a1 * a5) >> 32) + ((a2 * a4) >> 32)) << 1) + ((a3 * a3) >> 32)),
                ((((ulong)(uint)(a1 * a7) + (ulong)(uint)(a2 * a6) + (ulong)(uint)(a3 * a5) + ((a0 * a7) >> 32) + ((a1 * a6) >> 32) + ((a2 * a5) >> 32) + ((a3 * a4) >> 32)) << 1) + (ulong)(uint)(a4 * a4)),
                ((((ulong)(uint)(a2 * a7) + (ulong)(uint)(a3 * a6) + (ulong)(uint)(a4 * a5) + ((a1 * a7) >> 32) + ((a2 * a6) >> 32) + ((a3 * a5) >> 32)) << 1) + ((a4 * a4) >> 32)),
                ((((ulong)(uint)(a3 * a7) + (ulong)(uint)(a4 * a6) + ((a2 * a7) >> 32) + ((a3 * a6) >> 32) + ((a4 * a5) >> 32)) << 1) + (ulong)(uint)(a5 * a5)),
                ((((ulong)(uint)(a4 * a7) + (ulong)(uint)(a5 * a6) + ((a3 * a7) >> 32) + ((a4 * a6) >> 32)) << 1) + ((a5 * a5) >> 32)),
                ((((ulong)(uint)(a5 * a7) + ((a4 * a7) >> 32) + ((a5 * a6) >> 32)) << 1) + (ulong)(uint)(a6 * a6)),
                ((((ulong)(uint)(a6 * a7) + ((a5 * a7) >> 32)) << 1) + ((a6 * a6) >> 32)),
                (((((a6 * a7) >> 32)) << 1) + (ulong)(uint)(a7 * a7)),
                (((a7 * a7) >> 32)));
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
            ulong borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow = ((ulong)a[i] - b[i] - borrow) >> 63;
            }

            return borrow != 0;
        }

        /// <summary>
        /// carry·2^256 + r, known to be below 2·modulus, brought below modulus with one subtraction that is
        /// always computed and applied through a mask (no branch on the value). Shared with Scalar (modulus n).
        /// </summary>
        internal static void SubtractModulusOnce(uint[] r, uint carry, uint[] modulus)
        {
            ulong borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow = ((ulong)r[i] - modulus[i] - borrow) >> 63;
            }

            // borrow is 1 when r < modulus. Subtract (mask all-ones) unless r < modulus and there is no carry.
            uint subtract = (uint)borrow - carry - 1;
            borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                ulong d = (ulong)r[i] - (modulus[i] & subtract) - borrow;
                r[i] = (uint)d;
                borrow = d >> 63;
            }
        }

        /// <summary>
        /// Adds 33·p, written with every limb at least 2^37, to the Solinas sum: each column is at most 15·(2^32-1)
        /// and each limb subtracts at most 32 columns' worth, so every limb is nonnegative (and below 2^40) before
        /// carrying, and Finish never right-shifts a negative value.
        /// </summary>
        private const ulong Bias0 = 0x20FFFFFFDF, Bias1 = 0x20FFFFFFDF, Bias2 = 0x20FFFFFFDF, Bias3 = 0x2000000000,
            Bias4 = 0x20FFFFFFE0, Bias5 = 0x20FFFFFFDF, Bias6 = 0x2000000000, Bias7 = 0x20FFFFFFBF;

        private static void Reduce(uint[] o, ulong c0, ulong c1, ulong c2, ulong c3, ulong c4, ulong c5, ulong c6, ulong c7,
            ulong c8, ulong c9, ulong c10, ulong c11, ulong c12, ulong c13, ulong c14, ulong c15)
        {
            // r = s1 + 2 s2 + 2 s3 + s4 + s5 - s6 - s7 - s8 - s9, limb by limb (FIPS 186-4 D.2.3). The identity is
            // linear in the columns, so they need no carrying into 32-bit limbs first: Finish carries once. The sums
            // wrap below zero on the way (unsigned arithmetic is exact modulo 2^64); each result is in [0, 2^40).
            Finish(o,
                c0 + c8 + c9 - c11 - c12 - c13 - c14 + Bias0,
                c1 + c9 + c10 - c12 - c13 - c14 - c15 + Bias1,
                c2 + c10 + c11 - c13 - c14 - c15 + Bias2,
                c3 + 2 * (c11 + c12) + c13 - c15 - c8 - c9 + Bias3,
                c4 + 2 * (c12 + c13) + c14 - c9 - c10 + Bias4,
                c5 + 2 * (c13 + c14) + c15 - c10 - c11 + Bias5,
                c6 + 3 * c14 + 2 * c15 + c13 - c8 - c9 + Bias6,
                c7 + 3 * c15 + c8 - c10 - c11 - c12 - c13 + Bias7);
        }

        /// <summary>
        /// o = (Σ t_i·2^(32i)) mod p for nonnegative limbs t_i &lt; 2^62: carried into 32-bit limbs, the carry out
        /// f &lt; 2^31 folded back once as f·(2^256 - p) = f·(2^224 - 2^192 - 2^96 + 1), added with nonnegative limbs
        /// (1, 0, 0, 2^32-1, 2^32-1, 2^32-1, 2^32-2, 0); that leaves a value below 2^256 + f·2^224 &lt; 2p with a
        /// carry of 0 or 1, which one masked subtraction of p brings below p. Straight-line: the same opcodes for every value.
        /// </summary>
        private static void Finish(uint[] o, ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5, ulong t6, ulong t7)
        {
            ulong c = t0;
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
            ulong f = c >> 32;
            ulong g = f * 0xFFFFFFFF;
            c = r0 + f;
            r0 = (uint)c;
            c = (c >> 32) + r1;
            r1 = (uint)c;
            c = (c >> 32) + r2;
            r2 = (uint)c;
            c = (c >> 32) + r3 + g;
            r3 = (uint)c;
            c = (c >> 32) + r4 + g;
            r4 = (uint)c;
            c = (c >> 32) + r5 + g;
            r5 = (uint)c;
            c = (c >> 32) + r6 + g - f;
            r6 = (uint)c;
            c = (c >> 32) + r7;

            // Now value = (c >> 32)·2^256 + r < 2^256 + 2^255 < 2p.
            SubtractPOnce(o, r0, r1, r2, r3, r4, r5, r6, (uint)c, (uint)(c >> 32));
        }

        /// <summary>o = s - p when carry·2^256 + s ≥ p, else s (s + carry·2^256 is below 2p), by mask.</summary>
        private static void SubtractPOnce(uint[] o, uint s0, uint s1, uint s2, uint s3, uint s4, uint s5, uint s6, uint s7, uint carry)
        {
            // s - p + 2^256 = s + (1, 0, 0, 2^32-1, 2^32-1, 2^32-1, 2^32-2, 0): its carry out is 1 exactly when s ≥ p.
            ulong c = (ulong)s0 + 1;
            uint d0 = (uint)c;
            c = (c >> 32) + s1;
            uint d1 = (uint)c;
            c = (c >> 32) + s2;
            uint d2 = (uint)c;
            c = (c >> 32) + s3 + 0xFFFFFFFF;
            uint d3 = (uint)c;
            c = (c >> 32) + s4 + 0xFFFFFFFF;
            uint d4 = (uint)c;
            c = (c >> 32) + s5 + 0xFFFFFFFF;
            uint d5 = (uint)c;
            c = (c >> 32) + s6 + 0xFFFFFFFE;
            uint d6 = (uint)c;
            c = (c >> 32) + s7;
            uint d7 = (uint)c;

            // Keep s (mask all-ones) only when s < p and there is no carry (the two are never both 1).
            uint keep = (uint)(c >> 32) + carry - 1;
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
