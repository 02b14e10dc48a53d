namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>
    /// Scalar multiplication on P-256, three ways:
    /// <list type="bullet">
    /// <item>MultiplySecret: k·P for a secret k and any valid P (ECDH, SPAKE2+). Regular signed windows of
    /// 4 bits with odd digits (every digit is nonzero), a table of 1P, 3P, …, 15P made affine with one
    /// inversion, a masked scan of the whole table and a masked negation: the sequence of field operations
    /// and memory accesses does not depend on k. An even k is handled as -(n-k)·P, also by masks.</item>
    /// <item>MultiplyComb / MultiplyComb2: k·B (and k1·B1 + k2·B2) for fixed B with precomputed 4-teeth comb
    /// tables (Tables.cs): 63 doublings instead of 255, masked look-ups, masked handling of the zero digit
    /// and of the empty accumulator. The one case it does not handle, the accumulator meeting the table
    /// entry it adds, needs a partial sum of the secret to equal a 4-bit comb entry: probability about
    /// 2^-200 for the random secrets it serves (SPAKE2+'s x, y and w0); the result would be wrong, not leaky.</item>
    /// <item>PublicBegin / PublicBits: u1·G + u2·Q for public scalars (ECDSA verification), interleaved wNAF with
    /// windows of 5 (G, from the constant table) and 4 (Q), branching freely.</item>
    /// </list>
    /// What is not constant-time: the managed runtime itself (allocation-free code, but the interpreter's
    /// and JIT's instruction timing is not under our control), and 64-bit multiplications on a 32-bit core
    /// may take data-dependent time in microcode. No secret-dependent branch or index exists in this code.
    /// </summary>
    public sealed class ScalarMultiplier
    {
        private const int WindowBits = 4;
        private const int Digits = 64;
        private const int OddEntries = 8;

        private readonly PointArithmetic _math = new PointArithmetic();
        private readonly JacobianPoint[] _tablePoints = new JacobianPoint[OddEntries];
        private readonly uint[][] _scratch = new uint[OddEntries][];
        private readonly uint[] _table = new uint[OddEntries * 16];
        private readonly int[] _digits = new int[Digits];
        private readonly uint[] _k = new uint[8];
        private readonly uint[] _negY = new uint[8];
        private readonly AffinePoint _entry = new AffinePoint();
        private readonly JacobianPoint _twice = new JacobianPoint();
        private readonly JacobianPoint _q = new JacobianPoint();
        private readonly sbyte[] _naf1 = new sbyte[257];
        private readonly sbyte[] _naf2 = new sbyte[257];
        private uint _even;

        public ScalarMultiplier()
        {
            for (int i = 0; i < OddEntries; i++)
            {
                _tablePoints[i] = new JacobianPoint();
                _scratch[i] = Field.Create();
            }
        }

        public PointArithmetic Math
        {
            get { return _math; }
        }

        /// <summary>result = k·p for 1 ≤ k &lt; n (caller-checked) and a finite, valid p. Constant-time in k.</summary>
        public void MultiplySecret(JacobianPoint result, uint[] k, JacobianPoint p)
        {
            SecretBegin(k, p);
            SecretTable();
            SecretWindows(result, Digits - 1, Digits);
            SecretEnd(result);
        }

        // MultiplySecret in pieces, for callers that let the main loop run between them (SPAKE2+ on the device):
        // SecretBegin (recoding, 1p..15p), SecretTable (one inversion), SecretWindows (63 down to 0), SecretEnd.
        // The same operations in the same order as the whole call; the state lives in this instance.

        /// <summary>Top window index for SecretWindows.</summary>
        public const int TopWindow = Digits - 1;

        public void SecretBegin(uint[] k, JacobianPoint p)
        {
            _even = PrepareOddScalar(_k, k);
            RecodeOdd(_k, _digits);
            _tablePoints[0].CopyFrom(p);
            _math.Double(_twice, p);
            for (int i = 1; i < OddEntries; i++)
            {
                _math.Add(_tablePoints[i], _tablePoints[i - 1], _twice);
            }
        }

        public void SecretTable()
        {
            _math.ToAffineBatch(_tablePoints, OddEntries, _scratch, _table);
        }

        /// <summary>Runs up to count windows from window down; returns the next window (-1 when all are done).</summary>
        public int SecretWindows(JacobianPoint acc, int window, int count)
        {
            for (int n = 0; n < count && window >= 0; n++, window--)
            {
                if (window == Digits - 1)
                {
                    LookUp(_entry, _table, _digits[window]);
                    acc.SetAffine(_entry);
                    continue;
                }

                for (int d = 0; d < WindowBits; d++)
                {
                    _math.Double(acc, acc);
                }

                // Only the last addition can meet acc = ±digit·P (docs/crypto.md); it gets the complete formula.
                LookUp(_entry, _table, _digits[window]);
                if (window == 0)
                {
                    _math.AddMixedComplete(acc, acc, _entry);
                }
                else
                {
                    _math.AddMixed(acc, acc, _entry);
                }
            }

            return window;
        }

        public void SecretEnd(JacobianPoint acc)
        {
            NegateIf(acc, _even);
            System.Array.Clear(_digits, 0, Digits);
        }

        /// <summary>Comb in pieces: acc.SetInfinity(), then columns 63 down to 0, count at a time; returns the next column (-1: done).</summary>
        public int CombColumns(JacobianPoint acc, uint[] k, uint[] comb, int column, int count)
        {
            for (int n = 0; n < count && column >= 0; n++, column--)
            {
                if (column != 63)
                {
                    _math.Double(acc, acc);
                }

                AddCombEntry(acc, k, comb, column);
            }

            return column;
        }

        /// <summary>result = k·B for the comb table of B (Tables.GeneratorComb, SpakeMComb, SpakeNComb); 0 ≤ k &lt; n.</summary>
        public void MultiplyComb(JacobianPoint result, uint[] k, uint[] comb)
        {
            Comb(result, k, comb, null, null);
        }

        /// <summary>result = k1·B1 + k2·B2 for two comb tables, sharing the doublings.</summary>
        public void MultiplyComb2(JacobianPoint result, uint[] k1, uint[] comb1, uint[] k2, uint[] comb2)
        {
            Comb(result, k1, comb1, k2, comb2);
        }

        private void Comb(JacobianPoint acc, uint[] k1, uint[] comb1, uint[] k2, uint[] comb2)
        {
            acc.SetInfinity();
            for (int i = 63; i >= 0; i--)
            {
                if (i != 63)
                {
                    _math.Double(acc, acc);
                }

                AddCombEntry(acc, k1, comb1, i);
                if (k2 != null)
                {
                    AddCombEntry(acc, k2, comb2, i);
                }
            }
        }

        private void AddCombEntry(JacobianPoint acc, uint[] k, uint[] comb, int column)
        {
            int b = CombBit(k, column) | (CombBit(k, 64 + column) << 1) | (CombBit(k, 128 + column) << 2) | (CombBit(k, 192 + column) << 3);
            _entry.LoadConstantTime(comb, 16, b);
            _q.CopyFrom(acc);
            _math.AddMixedOrLoad(acc, acc, _entry);
            // Entry 0 is the point at infinity (stored as zeros): keep acc as it was.
            acc.Select(_q, 0u - ((uint)(b - 1) >> 31));
        }

        private static int CombBit(uint[] k, int bit)
        {
            return (int)((k[bit >> 5] >> (bit & 31)) & 1);
        }

        // u1·G + u2·q for public u1, u2 (ECDSA verification), variable time, q valid, in pieces so the update agent's
        // check runs on the main loop: PublicBegin (recoding, q..7q), then PublicBits until it returns -1.

        /// <summary>Bits of the NAFs (a 256-bit scalar's width-w NAF has up to 257 digits).</summary>
        public const int PublicBitsTotal = 257;

        /// <summary>Recodes u1, u2, builds q, 3q, 5q, 7q and sets result to infinity; returns the first bit for PublicBits (-1: both zero).</summary>
        public int PublicBegin(JacobianPoint result, uint[] u1, uint[] u2, AffinePoint q)
        {
            int top1 = Naf(u1, 5, _naf1);
            int top2 = Naf(u2, 4, _naf2);

            // q, 3q, 5q, 7q in Jacobian coordinates.
            _tablePoints[0].SetAffine(q);
            _math.Double(_twice, _tablePoints[0]);
            for (int i = 1; i < 4; i++)
            {
                _math.AddVariableTime(_tablePoints[i], _tablePoints[i - 1], _twice);
            }

            result.SetInfinity();
            return top1 > top2 ? top1 : top2;
        }

        /// <summary>Runs up to count bits from bit down (a doubling and at most two additions each); returns the next bit (-1 when done).</summary>
        public int PublicBits(JacobianPoint result, int bit, int count)
        {
            for (int n = 0; n < count && bit >= 0; n++, bit--)
            {
                if (!result.IsInfinity)
                {
                    _math.Double(result, result);
                }

                int d1 = _naf1[bit];
                if (d1 != 0)
                {
                    _entry.Load(Tables.GeneratorOddMultiples, (d1 < 0 ? -d1 : d1) >> 1);
                    if (d1 < 0)
                    {
                        Field.Negate(_entry.Y, _entry.Y);
                    }

                    _math.AddMixedVariableTime(result, result, _entry);
                }

                int d2 = _naf2[bit];
                if (d2 != 0)
                {
                    JacobianPoint t = _tablePoints[(d2 < 0 ? -d2 : d2) >> 1];
                    if (d2 < 0)
                    {
                        _q.CopyFrom(t);
                        Field.Negate(_q.Y, _q.Y);
                        t = _q;
                    }

                    _math.AddVariableTime(result, result, t);
                }
            }

            return bit;
        }

        /// <summary>Width-w NAF of a 256-bit scalar into naf[0..256]; returns the highest nonzero index (-1 for 0).</summary>
        private int Naf(uint[] scalar, int w, sbyte[] naf)
        {
            uint[] k = _k;
            Field.Copy(scalar, k);
            uint carryOut = 0;
            int top = -1;
            int window = 1 << w;
            for (int i = 0; i < naf.Length; i++)
            {
                int digit = 0;
                if ((k[0] & 1) != 0)
                {
                    digit = (int)(k[0] & (uint)(window - 1));
                    if (digit >= window / 2)
                    {
                        digit -= window;
                    }

                    carryOut += AddSigned(k, -digit);
                    top = i;
                }

                naf[i] = (sbyte)digit;
                ShiftRight(k, 1, carryOut);
                carryOut = 0;
            }

            return top;
        }

        /// <summary>
        /// k += delta (|delta| small, k + delta ≥ 0); returns the carry out of the top limb (0 or 1). A negative delta
        /// is added as the 256-bit two's complement (limbs above the first all ones), whose carry out is dropped.
        /// </summary>
        private static uint AddSigned(uint[] k, int delta)
        {
            uint negative = (uint)delta >> 31;
            uint extension = 0u - negative;
            ulong carry = (ulong)k[0] + (uint)delta;
            k[0] = (uint)carry;
            for (int i = 1; i < 8; i++)
            {
                carry = (carry >> 32) + k[i] + extension;
                k[i] = (uint)carry;
            }

            return (uint)(carry >> 32) - negative;
        }

        private static void ShiftRight(uint[] k, int bits, uint topIn)
        {
            for (int i = 0; i < 7; i++)
            {
                k[i] = (k[i] >> bits) | (k[i + 1] << (32 - bits));
            }

            k[7] = (k[7] >> bits) | (topIn << (32 - bits));
        }

        /// <summary>
        /// Copies k into odd (n - k when k is even, chosen by mask); returns the all-ones mask when k was even.
        /// </summary>
        private static uint PrepareOddScalar(uint[] odd, uint[] k)
        {
            uint even = (k[0] & 1) - 1;
            Scalar.Negate(odd, k);
            Field.Select(odd, k, ~even);
            return even;
        }

        /// <summary>Regular recoding: odd k &lt; 2^256 = Σ d_i·16^i with every d_i odd in [-15, 15] and d_63 &gt; 0.</summary>
        private static void RecodeOdd(uint[] k, int[] digits)
        {
            for (int i = 0; i < Digits - 1; i++)
            {
                int d = (int)(k[0] & 31) - 16;
                digits[i] = d;
                AddSigned(k, -d);
                ShiftRight(k, WindowBits, 0);
            }

            digits[Digits - 1] = (int)k[0];
        }

        /// <summary>Loads ±|d|·P from the odd-multiples table with a full masked scan and a masked negation.</summary>
        private void LookUp(AffinePoint r, uint[] table, int digit)
        {
            uint negative = (uint)digit >> 31;
            uint sign = 0u - negative;
            uint magnitude = ((uint)digit ^ sign) + negative;
            r.LoadConstantTime(table, OddEntries, (int)(magnitude >> 1));
            Field.Negate(_negY, r.Y);
            Field.Select(r.Y, _negY, sign);
        }

        private void NegateIf(JacobianPoint p, uint mask)
        {
            Field.Negate(_negY, p.Y);
            Field.Select(p.Y, _negY, mask);
        }
    }
}
