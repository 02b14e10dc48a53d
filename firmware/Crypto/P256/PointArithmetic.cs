namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>
    /// Group law on P-256 (a = -3) in Jacobian coordinates, formulas from the Explicit-Formulas Database:
    /// dbl-2001-b (4M+4S with Z3 = 2YZ and 3α, 4β, 8γ² as one small multiple each), madd-2007-bl (8M+3S, Z3 = 2·Z1·H), add-2007-bl (12M+4S, Z3 = 2·Z1·Z2·H). Outputs may alias inputs.
    /// The plain formulas do not handle P = ±Q or infinity; AddMixedComplete does, without branching,
    /// and AddVariableTime does with branches (public data only). Owns its temporaries: one per thread.
    /// </summary>
    public sealed class PointArithmetic
    {
        private readonly uint[] _t0 = Field.Create();
        private readonly uint[] _t1 = Field.Create();
        private readonly uint[] _t2 = Field.Create();
        private readonly uint[] _t3 = Field.Create();
        private readonly uint[] _t4 = Field.Create();
        private readonly uint[] _t5 = Field.Create();
        private readonly uint[] _t6 = Field.Create();
        private readonly uint[] _t7 = Field.Create();
        private readonly JacobianPoint _sum = new JacobianPoint();
        private readonly JacobianPoint _double = new JacobianPoint();

        public void Double(JacobianPoint r, JacobianPoint p)
        {
            uint[] delta = _t0, gamma = _t1, beta = _t2, alpha = _t3, z3 = _t4, x3 = _t5, y3 = _t6, t = _t7;
            Field.Square(delta, p.Z);
            Field.Square(gamma, p.Y);
            Field.Multiply(beta, p.X, gamma);
            Field.Subtract(alpha, p.X, delta);
            Field.Add(t, p.X, delta);
            Field.Multiply(alpha, alpha, t);
            Field.MultiplySmall(alpha, alpha, 3);       // alpha = 3(X-δ)(X+δ)
            Field.Multiply(z3, p.Y, p.Z);
            Field.Add(z3, z3, z3);                      // Z3 = (Y+Z)² - γ - δ = 2YZ
            Field.Square(x3, alpha);
            Field.MultiplySmall(beta, beta, 4);         // beta = 4β
            Field.Add(t, beta, beta);                   // 8β
            Field.Subtract(x3, x3, t);                  // X3 = α² - 8β
            Field.Subtract(y3, beta, x3);
            Field.Multiply(y3, alpha, y3);
            Field.Square(gamma, gamma);
            Field.MultiplySmall(gamma, gamma, 8);       // 8γ²
            Field.Subtract(y3, y3, gamma);              // Y3 = α(4β - X3) - 8γ²
            Field.Copy(x3, r.X);
            Field.Copy(y3, r.Y);
            Field.Copy(z3, r.Z);
        }

        /// <summary>r = p + q with q affine. Not for p = ±q or p at infinity (see AddMixedComplete).</summary>
        public void AddMixed(JacobianPoint r, JacobianPoint p, AffinePoint q)
        {
            AddMixedCore(r, p, q);
        }

        /// <summary>
        /// r = p + q with q affine, correct for every p (infinity, q, -q) and without branching:
        /// costs one doubling more than AddMixed.
        /// </summary>
        public void AddMixedComplete(JacobianPoint r, JacobianPoint p, AffinePoint q)
        {
            uint pInfinity = Field.ZeroMask(p.Z);
            Double(_double, p);
            uint sameX = AddMixedCore(_sum, p, q);      // sets _t1 = H … see AddMixedCore
            uint sameY = _lastRZero;
            // p = q: the sum formula degenerates; the doubling is the answer.
            _sum.Select(_double, sameX & sameY & ~pInfinity);
            // p = -q: infinity.
            uint opposite = sameX & ~sameY & ~pInfinity;
            Field.Select(_sum.Z, _zero, opposite);
            // p at infinity: the sum is q.
            Field.Select(_sum.X, q.X, pInfinity);
            Field.Select(_sum.Y, q.Y, pInfinity);
            Field.Select(_sum.Z, _one, pInfinity);
            r.CopyFrom(_sum);
        }

        /// <summary>
        /// r = p + q with q affine, where p may be the point at infinity (then r = q), masked. For the comb,
        /// where p = ±q cannot occur for random secret scalars.
        /// </summary>
        public void AddMixedOrLoad(JacobianPoint r, JacobianPoint p, AffinePoint q)
        {
            uint pInfinity = Field.ZeroMask(p.Z);
            AddMixedCore(r, p, q);
            Field.Select(r.X, q.X, pInfinity);
            Field.Select(r.Y, q.Y, pInfinity);
            Field.Select(r.Z, _one, pInfinity);
        }

        private readonly uint[] _zero = Field.Create();
        private readonly uint[] _one = new uint[] { 1, 0, 0, 0, 0, 0, 0, 0 };
        private uint _lastRZero;

        /// <summary>madd-2007-bl; returns the all-ones mask when H = 0 (same x) and records whether r = 0.</summary>
        private uint AddMixedCore(JacobianPoint r, JacobianPoint p, AffinePoint q)
        {
            uint[] z1z1 = _t0, h = _t1, rr = _t2, hh = _t3, i = _t4, j = _t5, v = _t6, x3 = _t7;
            Field.Square(z1z1, p.Z);
            Field.Multiply(h, q.X, z1z1);               // U2
            Field.Multiply(rr, p.Z, z1z1);
            Field.Multiply(rr, q.Y, rr);                // S2
            Field.Subtract(h, h, p.X);                  // H = U2 - X1
            Field.Subtract(rr, rr, p.Y);                // S2 - Y1
            uint hZero = Field.ZeroMask(h);
            _lastRZero = Field.ZeroMask(rr);
            Field.Double(rr, rr);                       // r = 2(S2 - Y1)
            Field.Square(hh, h);
            Field.MultiplySmall(i, hh, 4);              // I = 4HH
            Field.Multiply(j, h, i);                    // J = H·I
            Field.Multiply(v, p.X, i);                  // V = X1·I
            Field.Square(x3, rr);
            Field.Subtract(x3, x3, j);
            Field.Subtract(x3, x3, v);
            Field.Subtract(x3, x3, v);                  // X3 = r² - J - 2V
            Field.Subtract(v, v, x3);
            Field.Multiply(v, rr, v);
            Field.Multiply(j, p.Y, j);
            Field.Double(j, j);
            Field.Subtract(v, v, j);                    // Y3 = r(V - X3) - 2·Y1·J
            Field.Multiply(i, p.Z, h);
            Field.Add(i, i, i);                         // Z3 = (Z1 + H)² - Z1Z1 - HH = 2·Z1·H
            Field.Copy(x3, r.X);
            Field.Copy(v, r.Y);
            Field.Copy(i, r.Z);
            return hZero;
        }

        /// <summary>r = p + q, both Jacobian. Not for p = ±q or infinity (see AddVariableTime).</summary>
        public void Add(JacobianPoint r, JacobianPoint p, JacobianPoint q)
        {
            AddCore(r, p, q);
        }

        /// <summary>r = p + q for all inputs, branching on them: only for public points and scalars.</summary>
        public void AddVariableTime(JacobianPoint r, JacobianPoint p, JacobianPoint q)
        {
            if (p.IsInfinity)
            {
                r.CopyFrom(q);
                return;
            }

            if (q.IsInfinity)
            {
                r.CopyFrom(p);
                return;
            }

            FinishVariableTime(r, p, AddCore(_sum, p, q));
        }

        /// <summary>r = p + q (affine q) for all inputs, branching on them: only for public data.</summary>
        public void AddMixedVariableTime(JacobianPoint r, JacobianPoint p, AffinePoint q)
        {
            if (p.IsInfinity)
            {
                r.SetAffine(q);
                return;
            }

            FinishVariableTime(r, p, AddMixedCore(_sum, p, q) != 0);
        }

        /// <summary>Takes _sum, or handles the same-x case the formulas cannot: p = q doubles, p = -q is infinity.</summary>
        private void FinishVariableTime(JacobianPoint r, JacobianPoint p, bool sameX)
        {
            if (!sameX)
            {
                r.CopyFrom(_sum);
            }
            else if (_lastRZero != 0)
            {
                Double(r, p);
            }
            else
            {
                r.SetInfinity();
            }
        }

        /// <summary>add-2007-bl; true when H = 0 (same x), with _lastRZero telling doubling from opposite.</summary>
        private bool AddCore(JacobianPoint r, JacobianPoint p, JacobianPoint q)
        {
            uint[] z1z1 = _t0, z2z2 = _t1, u1 = _t2, h = _t3, s1 = _t4, rr = _t5, i = _t6, j = _t7;
            Field.Square(z1z1, p.Z);
            Field.Square(z2z2, q.Z);
            Field.Multiply(u1, p.X, z2z2);
            Field.Multiply(h, q.X, z1z1);               // U2
            Field.Multiply(s1, q.Z, z2z2);
            Field.Multiply(s1, p.Y, s1);                // S1 = Y1·Z2·Z2Z2
            Field.Multiply(rr, p.Z, z1z1);
            Field.Multiply(rr, q.Y, rr);                // S2 = Y2·Z1·Z1Z1
            Field.Subtract(h, h, u1);                   // H = U2 - U1
            Field.Subtract(rr, rr, s1);
            bool sameX = Field.IsZero(h);
            _lastRZero = Field.ZeroMask(rr);
            Field.Double(rr, rr);                       // r = 2(S2 - S1)
            Field.Double(i, h);
            Field.Square(i, i);                         // I = (2H)²
            Field.Multiply(j, h, i);                    // J = H·I
            Field.Multiply(u1, u1, i);                  // V = U1·I
            Field.Square(i, rr);
            Field.Subtract(i, i, j);
            Field.Subtract(i, i, u1);
            Field.Subtract(i, i, u1);                   // X3 = r² - J - 2V
            Field.Subtract(u1, u1, i);
            Field.Multiply(u1, rr, u1);
            Field.Multiply(s1, s1, j);
            Field.Double(s1, s1);
            Field.Subtract(u1, u1, s1);                 // Y3 = r(V - X3) - 2·S1·J
            Field.Multiply(j, p.Z, q.Z);
            Field.Multiply(j, j, h);
            Field.Add(j, j, j);                         // Z3 = ((Z1 + Z2)² - Z1Z1 - Z2Z2)·H = 2·Z1·Z2·H
            Field.Copy(i, r.X);
            Field.Copy(u1, r.Y);
            Field.Copy(j, r.Z);
            return sameX;
        }

        /// <summary>Affine form of p; false (r untouched) at infinity. One inversion.</summary>
        public bool ToAffine(AffinePoint r, JacobianPoint p)
        {
            if (p.IsInfinity)
            {
                return false;
            }

            Field.Invert(_t0, p.Z, _t1, _t2, _t3, _t4);
            Field.Square(_t1, _t0);
            Field.Multiply(r.X, p.X, _t1);
            Field.Multiply(_t1, _t1, _t0);
            Field.Multiply(r.Y, p.Y, _t1);
            return true;
        }

        /// <summary>
        /// Converts `count` finite Jacobian points to affine with one inversion (Montgomery's trick) and
        /// stores them in a 16-limbs-per-point table. `scratch` holds count field elements.
        /// </summary>
        public void ToAffineBatch(JacobianPoint[] points, int count, uint[][] scratch, uint[] table)
        {
            Field.Copy(points[0].Z, scratch[0]);
            for (int k = 1; k < count; k++)
            {
                Field.Multiply(scratch[k], scratch[k - 1], points[k].Z);
            }

            uint[] inverse = _t5;
            Field.Invert(inverse, scratch[count - 1], _t0, _t1, _t2, _t3);
            AffinePoint affine = _affine;
            for (int k = count - 1; k >= 0; k--)
            {
                uint[] zInverse = _t6;
                if (k > 0)
                {
                    Field.Multiply(zInverse, inverse, scratch[k - 1]);
                    Field.Multiply(inverse, inverse, points[k].Z);
                }
                else
                {
                    Field.Copy(inverse, zInverse);
                }

                Field.Square(_t7, zInverse);
                Field.Multiply(affine.X, points[k].X, _t7);
                Field.Multiply(_t7, _t7, zInverse);
                Field.Multiply(affine.Y, points[k].Y, _t7);
                affine.Store(table, k);
            }
        }

        private readonly AffinePoint _affine = new AffinePoint();
    }
}
