namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>
    /// Arithmetic modulo the group order n on eight 32-bit limbs (least significant first), by Montgomery
    /// multiplication (CIOS). Scalars are public in ECDSA verification and secret in ECDH and SPAKE2+; the
    /// multiplication and reduction paths have no value-dependent branches, Invert's exponent is public (n-2).
    /// An instance owns its temporaries: one per thread, no allocation after construction.
    /// Borrows are unsigned, as in Field: no signed value is right-shifted (docs/crypto.md).
    /// </summary>
    public sealed class Scalar
    {
        public const int Limbs = 8;

        public static readonly uint[] N = new uint[] { 0xFC632551, 0xF3B9CAC2, 0xA7179E84, 0xBCE6FAAD, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000000, 0xFFFFFFFF };

        /// <summary>R² mod n with R = 2^256: converts into Montgomery form.</summary>
        public static readonly uint[] RSquared = new uint[] { 0xBE79EEA2, 0x83244C95, 0x49BD6FA6, 0x4699799C, 0x2B6BEC59, 0x2845B239, 0xF3D95620, 0x66E12D94 };

        /// <summary>-n⁻¹ mod 2^32.</summary>
        private const uint NPrime = 0xEE00BC4F;

        private readonly uint[] _t = new uint[Limbs + 2];
        private readonly uint[] _x = new uint[Limbs];
        private readonly uint[] _acc = new uint[Limbs];
        private readonly uint[] _one = new uint[Limbs];
        private readonly uint[] _u = new uint[Limbs];
        private readonly uint[] _v = new uint[Limbs];
        private readonly uint[] _x1 = new uint[Limbs];
        private readonly uint[] _x2 = new uint[Limbs];

        /// <summary>Big-endian 32 bytes → limbs. True only for 1 ≤ value &lt; n (a usable nonzero scalar).</summary>
        public static bool TryDecodeNonZero(byte[] bytes, int offset, uint[] r)
        {
            Decode(bytes, offset, r);
            return Field.LessThan(r, N) && !Field.IsZero(r);
        }

        public static void Decode(byte[] bytes, int offset, uint[] r)
        {
            for (int i = 0; i < Limbs; i++)
            {
                r[i] = Bytes.ReadUInt32BigEndian(bytes, offset + 4 * (Limbs - 1 - i));
            }
        }

        public static void Encode(uint[] a, byte[] bytes, int offset)
        {
            Field.Encode(a, bytes, offset);
        }

        /// <summary>Reduces a value below 2^256 (so below 2n) into [0, n).</summary>
        public static void ReduceOnce(uint[] r)
        {
            Field.SubtractModulusOnce(r, 0, N);
        }

        /// <summary>r = a + b mod n (a, b below n).</summary>
        public static void Add(uint[] r, uint[] a, uint[] b)
        {
            Field.SubtractModulusOnce(r, Field.AddLimbs(r, a, b), N);
        }

        /// <summary>r = n - a (0 stays 0).</summary>
        public static void Negate(uint[] r, uint[] a)
        {
            uint zero = Field.ZeroMask(a);
            ulong borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                ulong d = (ulong)N[i] - a[i] - borrow;
                r[i] = (uint)d & ~zero;
                borrow = d >> 63;
            }
        }

        /// <summary>r = a·b·2^-256 mod n (inputs below n).</summary>
        public void MontgomeryMultiply(uint[] r, uint[] a, uint[] b)
        {
            uint[] t = _t;
            System.Array.Clear(t, 0, t.Length);
            for (int i = 0; i < Limbs; i++)
            {
                ulong carry = 0;
                ulong ai = a[i];
                for (int j = 0; j < Limbs; j++)
                {
                    carry += ai * b[j] + t[j];
                    t[j] = (uint)carry;
                    carry >>= 32;
                }

                carry += t[Limbs];
                t[Limbs] = (uint)carry;
                t[Limbs + 1] = (uint)(carry >> 32);

                uint m = t[0] * NPrime;
                carry = ((ulong)m * N[0] + t[0]) >> 32;
                for (int j = 1; j < Limbs; j++)
                {
                    carry += (ulong)m * N[j] + t[j];
                    t[j - 1] = (uint)carry;
                    carry >>= 32;
                }

                carry += t[Limbs];
                t[Limbs - 1] = (uint)carry;
                t[Limbs] = t[Limbs + 1] + (uint)(carry >> 32);
            }

            // t < 2n: subtract n once when t ≥ n (as Field.SubtractModulusOnce, into r).
            ulong borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                borrow = ((ulong)t[i] - N[i] - borrow) >> 63;
            }

            uint subtract = (uint)borrow - t[Limbs] - 1;
            borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                ulong d = (ulong)t[i] - (N[i] & subtract) - borrow;
                r[i] = (uint)d;
                borrow = d >> 63;
            }
        }

        /// <summary>r = a·b mod n.</summary>
        public void Multiply(uint[] r, uint[] a, uint[] b)
        {
            MontgomeryMultiply(_x, a, RSquared);   // a·R
            MontgomeryMultiply(r, _x, b);          // a·b
        }

        /// <summary>r = a⁻¹ mod n by Fermat (a^(n-2)); a must be nonzero. The exponent is public.</summary>
        public void Invert(uint[] r, uint[] a)
        {
            MontgomeryMultiply(_x, a, RSquared);   // x = a·R (Montgomery form)
            Field.SetOne(_one);
            MontgomeryMultiply(_acc, _one, RSquared); // acc = R (1 in Montgomery form)
            for (int bit = 255; bit >= 0; bit--)
            {
                MontgomeryMultiply(_acc, _acc, _acc);
                if (ExponentBit(bit))
                {
                    MontgomeryMultiply(_acc, _acc, _x);
                }
            }

            MontgomeryMultiply(r, _acc, _one);     // leave Montgomery form
        }

        /// <summary>
        /// r = a⁻¹ mod n for a public, nonzero a below n (ECDSA's s), by the binary extended Euclidean algorithm:
        /// variable time, about a seventh of Invert's opcodes. Never for secrets.
        /// </summary>
        public void InvertPublic(uint[] r, uint[] a)
        {
            BeginInvertPublic(a);
            while (!InvertPublicRounds(r, InvertRoundsBound))
            {
            }
        }

        /// <summary>
        /// An upper bound on InvertPublic's rounds: u·v starts below 2^512 and every halving halves it (at most 512),
        /// every subtraction of two odd values leaves an even one (at most one more than the halvings), and the last round only answers.
        /// </summary>
        public const int InvertRoundsBound = 512 + 513 + 1;

        /// <summary>InvertPublic in pieces (ECDSA verification on the main loop): BeginInvertPublic, then InvertPublicRounds until true.</summary>
        public void BeginInvertPublic(uint[] a)
        {
            Field.Copy(a, _u);
            Field.Copy(N, _v);
            Field.SetOne(_x1);
            Field.SetZero(_x2);
        }

        /// <summary>
        /// Runs up to `rounds` rounds (one halving or one subtraction each, a few hundred IL); true once r holds the inverse.
        /// Invariants: x1·a ≡ u and x2·a ≡ v (mod n); gcd(u, v) = 1 throughout since n is prime.
        /// </summary>
        public bool InvertPublicRounds(uint[] r, int rounds)
        {
            uint[] u = _u, v = _v, x1 = _x1, x2 = _x2;
            for (int n = 0; n < rounds; n++)
            {
                if (IsOne(u) || IsOne(v))
                {
                    Field.Copy(IsOne(u) ? x1 : x2, r);
                    return true;
                }

                if ((u[0] & 1) == 0)
                {
                    HalveLimbs(u, 0);
                    HalveModN(x1);
                }
                else if ((v[0] & 1) == 0)
                {
                    HalveLimbs(v, 0);
                    HalveModN(x2);
                }
                else if (Field.LessThan(u, v))
                {
                    SubtractLimbs(v, v, u);
                    SubtractModN(x2, x2, x1);
                }
                else
                {
                    SubtractLimbs(u, u, v);
                    SubtractModN(x1, x1, x2);
                }
            }

            return false;
        }

        private static bool IsOne(uint[] a)
        {
            return a[0] == 1 && (a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7]) == 0;
        }

        /// <summary>x = x/2 mod n: (x + n)/2 for an odd x, the carry of the addition shifted back in.</summary>
        private static void HalveModN(uint[] x)
        {
            uint carry = 0;
            if ((x[0] & 1) != 0)
            {
                carry = Field.AddLimbs(x, x, N);
            }

            HalveLimbs(x, carry);
        }

        private static void HalveLimbs(uint[] k, uint topIn)
        {
            for (int i = 0; i < Limbs - 1; i++)
            {
                k[i] = (k[i] >> 1) | (k[i + 1] << 31);
            }

            k[Limbs - 1] = (k[Limbs - 1] >> 1) | (topIn << 31);
        }

        /// <summary>r = a - b over the 8 limbs; returns the borrow out (1 when a &lt; b).</summary>
        private static ulong SubtractLimbs(uint[] r, uint[] a, uint[] b)
        {
            ulong borrow = 0;
            for (int i = 0; i < Limbs; i++)
            {
                ulong d = (ulong)a[i] - b[i] - borrow;
                r[i] = (uint)d;
                borrow = d >> 63;
            }

            return borrow;
        }

        /// <summary>r = a - b mod n (a, b below n).</summary>
        private static void SubtractModN(uint[] r, uint[] a, uint[] b)
        {
            if (SubtractLimbs(r, a, b) != 0)
            {
                Field.AddLimbs(r, r, N);
            }
        }

        /// <summary>
        /// Reduces a big-endian value of up to 64 bytes (e.g. the 40-byte outputs of RFC 9383's w0s and w1s)
        /// modulo n, as hi·2^256 + lo.
        /// </summary>
        public void ReduceWide(byte[] bytes, int offset, int count, uint[] r)
        {
            byte[] padded = new byte[64];
            System.Array.Copy(bytes, offset, padded, 64 - count, count);
            uint[] hi = new uint[Limbs];
            Decode(padded, 0, hi);
            Decode(padded, 32, r);
            ReduceOnce(hi);
            ReduceOnce(r);
            MontgomeryMultiply(hi, hi, RSquared);  // hi·2^256 mod n
            Add(r, r, hi);
        }

        private static bool ExponentBit(int bit)
        {
            // n - 2: n's lowest limb 0xFC632551 minus 2 is 0xFC63254F, no borrow into higher limbs.
            uint limb = bit < 32 ? 0xFC63254F : N[bit >> 5];
            return ((limb >> (bit & 31)) & 1) != 0;
        }
    }
}
