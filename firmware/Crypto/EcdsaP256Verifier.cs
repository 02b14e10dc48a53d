using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// ECDSA P-256 / SHA-256 signature verification (FIPS 186-4 6.4.2): the only signature the device checks
    /// (signed OTA images). Public key SEC1 (validated), signature P1363 r||s or DER. Reusable; after
    /// construction a verification allocates nothing in the arithmetic (the SHA-256 of the message is the
    /// caller's or made here once).
    /// Stepped: Begin… copies the inputs, then each Step does a bounded piece (decoding, a few hundred rounds of
    /// the inversion of s, the recoding, BitsPerStep bits of u1·G + u2·Q, the final comparison) until it
    /// returns true and Valid holds the verdict. The one-shot calls are that loop, so both are the same code.
    /// Everything here is public data (key, signature, digest): variable time is fine.
    /// </summary>
    public sealed class EcdsaP256Verifier
    {
        /// <summary>Bits of the double-scalar multiplication per Step: at most one doubling and two additions per bit.</summary>
        public const int BitsPerStep = 8;

        /// <summary>Rounds of the binary inversion of s per Step (one halving or subtraction each).</summary>
        public const int InvertRoundsPerStep = 256;

        /// <summary>The most Steps one verification takes: decoding, the inversion, the recoding, the bits, the comparison.</summary>
        public const int MaxSteps = 3 + (Scalar.InvertRoundsBound + InvertRoundsPerStep - 1) / InvertRoundsPerStep
            + (ScalarMultiplier.PublicBitsTotal + BitsPerStep - 1) / BitsPerStep;

        private const int Done = 0;
        private const int Decoding = 1;
        private const int Inverting = 2;
        private const int Recoding = 3;
        private const int Multiplying = 4;
        private const int Comparing = 5;

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
        private readonly byte[] _key = new byte[PointCodec.UncompressedLength];
        private readonly Sha256 _sha = new Sha256();
        private int _keyLength;
        private int _phase = Done;
        private int _bit;

        /// <summary>True once the last Begin… has been stepped to its end (or failed at once).</summary>
        public bool IsDone
        {
            get { return _phase == Done; }
        }

        /// <summary>The verdict of the last verification, once IsDone.</summary>
        public bool Valid { get; private set; }

        /// <summary>Steps taken since the last Begin… (the first is the decoding).</summary>
        public int Steps { get; private set; }

        /// <summary>Starts checking a 64-byte r||s signature over a 32-byte SHA-256 digest; the inputs are copied.</summary>
        public void BeginDigest(byte[] publicKey, int keyOffset, int keyLength, byte[] digest, int digestOffset, byte[] signature, int signatureOffset, int signatureLength)
        {
            Valid = false;
            Steps = 0;
            _phase = Done;
            if (signature == null || signatureLength != 64 || signatureOffset < 0 || signatureOffset + 64 > signature.Length)
            {
                return;
            }

            if (publicKey == null || keyLength < 1 || keyLength > _key.Length || keyOffset < 0 || keyOffset + keyLength > publicKey.Length)
            {
                return;
            }

            System.Array.Copy(publicKey, keyOffset, _key, 0, keyLength);
            _keyLength = keyLength;
            if (signature != _rsBytes || signatureOffset != 0)
            {
                System.Array.Copy(signature, signatureOffset, _rsBytes, 0, 64);
            }

            if (digest != _hash || digestOffset != 0)
            {
                System.Array.Copy(digest, digestOffset, _hash, 0, Sha256.HashLength);
            }

            _phase = Decoding;
        }

        /// <summary>Starts checking a DER signature over a 32-byte digest (MCUboot's ECDSA TLV).</summary>
        public void BeginDigestDer(byte[] publicKey, int keyOffset, int keyLength, byte[] digest, int digestOffset, byte[] der, int derOffset, int derLength)
        {
            if (!Der.TryParseEcdsaSignature(der, derOffset, derLength, _rsBytes, 0))
            {
                Valid = false;
                Steps = 0;
                _phase = Done;
                return;
            }

            BeginDigest(publicKey, keyOffset, keyLength, digest, digestOffset, _rsBytes, 0, 64);
        }

        /// <summary>One bounded piece of the verification; true when it is finished (Valid then holds the verdict).</summary>
        public bool Step()
        {
            if (_phase == Done)
            {
                return true;
            }

            Steps++;
            if (_phase == Decoding)
            {
                Decode();
            }
            else if (_phase == Inverting)
            {
                if (_scalar.InvertPublicRounds(_w, InvertRoundsPerStep))
                {
                    _scalar.Multiply(_u1, _e, _w);
                    _scalar.Multiply(_u2, _rs, _w);
                    _phase = Recoding;
                }
            }
            else if (_phase == Recoding)
            {
                _bit = _multiplier.PublicBegin(_r, _u1, _u2, _q);
                _phase = _bit >= 0 ? Multiplying : Comparing;
            }
            else if (_phase == Multiplying)
            {
                _bit = _multiplier.PublicBits(_r, _bit, BitsPerStep);
                if (_bit < 0)
                {
                    _phase = Comparing;
                }
            }
            else
            {
                Valid = Compare();
                _phase = Done;
            }

            return _phase == Done;
        }

        private void Decode()
        {
            if (!_codec.TryDecode(_key, 0, _keyLength, _q)
                || !Scalar.TryDecodeNonZero(_rsBytes, 0, _rs) || !Scalar.TryDecodeNonZero(_rsBytes, 32, _ss))
            {
                Valid = false;
                _phase = Done;
                return;
            }

            Scalar.Decode(_hash, 0, _e);
            Scalar.ReduceOnce(_e);
            _scalar.BeginInvertPublic(_ss);            // s is public: the variable-time inversion
            _phase = Inverting;
        }

        /// <summary>x(R) mod n == r, without leaving Jacobian form (no inversion): r·Z² == X, or (r + n)·Z² == X when r + n &lt; p.</summary>
        private bool Compare()
        {
            if (_r.IsInfinity)
            {
                return false;
            }

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

        /// <summary>Runs the steps of the last Begin… to the end; returns the verdict.</summary>
        public bool Finish()
        {
            while (!Step())
            {
            }

            return Valid;
        }

        /// <summary>Verifies a 64-byte r||s signature over a 32-byte SHA-256 digest.</summary>
        public bool VerifyDigest(byte[] publicKey, int keyOffset, int keyLength, byte[] digest, int digestOffset, byte[] signature, int signatureOffset, int signatureLength)
        {
            BeginDigest(publicKey, keyOffset, keyLength, digest, digestOffset, signature, signatureOffset, signatureLength);
            return Finish();
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
            BeginDigestDer(publicKey, keyOffset, keyLength, digest, digestOffset, der, derOffset, derLength);
            return Finish();
        }
    }
}
