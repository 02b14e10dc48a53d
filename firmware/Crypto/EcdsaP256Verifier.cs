using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// ECDSA P-256 / SHA-256 signature verification (FIPS 186-4 6.4.2): the only signature the device checks
    /// (signed OTA images). Public key SEC1 (validated), signature P1363 r||s or DER. Reusable; after
    /// construction a verification allocates nothing in the arithmetic (the SHA-256 of the message is the
    /// caller's or made here once).
    /// </summary>
    public sealed class EcdsaP256Verifier
    {
        private readonly ScalarMultiplier _multiplier = new ScalarMultiplier();
        private readonly PointCodec _codec = new PointCodec();
        private readonly Scalar _scalar = new Scalar();
        private readonly AffinePoint _q = new AffinePoint();
        private readonly JacobianPoint _r = new JacobianPoint();
        private readonly uint[] _rs = new uint[8];
        private readonly uint[] _ss = new uint[8];
        private readonly uint[] _e = new uint[8];
        private readonly uint[] _w = new uint[8];
        private readonly uint[] _u1 = new uint[8];
        private readonly uint[] _u2 = new uint[8];
        private readonly uint[] _z2 = new uint[8];
        private readonly uint[] _t = new uint[8];
        private readonly byte[] _hash = new byte[Sha256.HashLength];
        private readonly byte[] _rsBytes = new byte[64];
        private readonly Sha256 _sha = new Sha256();

        /// <summary>Verifies a 64-byte r||s signature over a 32-byte SHA-256 digest.</summary>
        public bool VerifyDigest(byte[] publicKey, int keyOffset, int keyLength, byte[] digest, int digestOffset, byte[] signature, int signatureOffset, int signatureLength)
        {
            if (signature == null || signatureLength != 64 || signatureOffset < 0 || signatureOffset + 64 > signature.Length)
            {
                return false;
            }

            if (!_codec.TryDecode(publicKey, keyOffset, keyLength, _q))
            {
                return false;
            }

            if (!Scalar.TryDecodeNonZero(signature, signatureOffset, _rs) || !Scalar.TryDecodeNonZero(signature, signatureOffset + 32, _ss))
            {
                return false;
            }

            Scalar.Decode(digest, digestOffset, _e);
            Scalar.ReduceOnce(_e);
            _scalar.InvertPublic(_w, _ss);             // s is public: the variable-time inversion
            _scalar.Multiply(_u1, _e, _w);
            _scalar.Multiply(_u2, _rs, _w);
            _multiplier.MultiplyPublic(_r, _u1, _u2, _q);
            if (_r.IsInfinity)
            {
                return false;
            }

            // x(R) mod n == r, without leaving Jacobian form: r·Z² == X, or (r + n)·Z² == X when r + n < p.
            Field.Square(_z2, _r.Z);
            Field.Multiply(_t, _rs, _z2);
            if (Field.AreEqual(_t, _r.X))
            {
                return true;
            }

            ulong carry = 0;
            for (int i = 0; i < 8; i++)
            {
                carry += (ulong)_rs[i] + Scalar.N[i];
                _t[i] = (uint)carry;
                carry >>= 32;
            }

            if (carry != 0 || !Field.LessThan(_t, Field.P))
            {
                return false;
            }

            Field.Multiply(_t, _t, _z2);
            return Field.AreEqual(_t, _r.X);
        }

        /// <summary>Verifies a P1363 (r||s) signature over a message, hashing it with SHA-256.</summary>
        public bool Verify(byte[] publicKey, byte[] message, int offset, int length, byte[] signature)
        {
            _sha.Reset();
            _sha.Update(message, offset, length);
            _sha.Final(_hash, 0);
            return VerifyDigest(publicKey, 0, publicKey == null ? 0 : publicKey.Length, _hash, 0, signature, 0, signature == null ? 0 : signature.Length);
        }

        /// <summary>Verifies a DER signature over a 32-byte digest (MCUboot's ECDSA TLV).</summary>
        public bool VerifyDigestDer(byte[] publicKey, int keyOffset, int keyLength, byte[] digest, int digestOffset, byte[] der, int derOffset, int derLength)
        {
            if (!Der.TryParseEcdsaSignature(der, derOffset, derLength, _rsBytes, 0))
            {
                return false;
            }

            return VerifyDigest(publicKey, keyOffset, keyLength, digest, digestOffset, _rsBytes, 0, 64);
        }
    }
}
