namespace SmartKey.Firmware.Crypto.P256
{
    /// <summary>A finite point (x, y) with reduced coordinates.</summary>
    public sealed class AffinePoint
    {
        public readonly uint[] X = new uint[Field.Limbs];
        public readonly uint[] Y = new uint[Field.Limbs];

        public void CopyFrom(AffinePoint p)
        {
            Field.Copy(p.X, X);
            Field.Copy(p.Y, Y);
        }

        /// <summary>Loads entry `index` of a table laid out as 16 limbs per point (x then y).</summary>
        public void Load(uint[] table, int index)
        {
            System.Array.Copy(table, index * 16, X, 0, Field.Limbs);
            System.Array.Copy(table, index * 16 + 8, Y, 0, Field.Limbs);
        }

        public void Store(uint[] table, int index)
        {
            System.Array.Copy(X, 0, table, index * 16, Field.Limbs);
            System.Array.Copy(Y, 0, table, index * 16 + 8, Field.Limbs);
        }

        /// <summary>
        /// Loads entry `index` by reading every entry and keeping the wanted one under a mask, so the
        /// memory access pattern does not depend on a secret index.
        /// </summary>
        public void LoadConstantTime(uint[] table, int entries, int index)
        {
            Field.SetZero(X);
            Field.SetZero(Y);
            for (int e = 0; e < entries; e++)
            {
                uint mask = 0u - ((uint)((e ^ index) - 1) >> 31);
                int at = e * 16;
                for (int i = 0; i < Field.Limbs; i++)
                {
                    X[i] |= table[at + i] & mask;
                    Y[i] |= table[at + 8 + i] & mask;
                }
            }
        }
    }
}
