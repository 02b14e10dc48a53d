namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>A point (X/Z², Y/Z³); Z = 0 is the point at infinity.</summary>
    public sealed class JacobianPoint
    {
        public readonly uint[] X = new uint[Field.Limbs];
        public readonly uint[] Y = new uint[Field.Limbs];
        public readonly uint[] Z = new uint[Field.Limbs];

        public bool IsInfinity
        {
            get { return Field.IsZero(Z); }
        }

        public void SetInfinity()
        {
            Field.SetOne(X);
            Field.SetOne(Y);
            Field.SetZero(Z);
        }

        public void CopyFrom(JacobianPoint p)
        {
            Field.Copy(p.X, X);
            Field.Copy(p.Y, Y);
            Field.Copy(p.Z, Z);
        }

        public void SetAffine(AffinePoint p)
        {
            Field.Copy(p.X, X);
            Field.Copy(p.Y, Y);
            Field.SetOne(Z);
        }

        /// <summary>this = mask ? p : this (mask all-ones or zero), without branching.</summary>
        public void Select(JacobianPoint p, uint mask)
        {
            Field.Select(X, p.X, mask);
            Field.Select(Y, p.Y, mask);
            Field.Select(Z, p.Z, mask);
        }
    }
}
