using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// The device's side of SPAKE2+ (RFC 9383, P-256): it holds only the verifier (w0, L), never the setup
    /// code or w1. Start draws y and answers shareV = y·G + w0·N; Finish takes shareP = X, computes
    /// Z = y·(X - w0·M) and V = y·L, and the key schedule. The prover's confirmation must then match
    /// (ConfirmP, in constant time) before the shared key may be used.
    /// </summary>
    public sealed class Spake2PlusVerifier
    {
        private readonly ScalarMultiplier _multiplier = new ScalarMultiplier();
        private readonly PointCodec _codec = new PointCodec();
        private readonly uint[] _w0 = new uint[8];
        private readonly uint[] _y = new uint[8];
        private readonly byte[] _w0Bytes = new byte[32];
        private readonly AffinePoint _l = new AffinePoint();
        private readonly AffinePoint _x = new AffinePoint();
        private readonly AffinePoint _affine = new AffinePoint();
        private readonly JacobianPoint _p = new JacobianPoint();
        private readonly JacobianPoint _q = new JacobianPoint();
        private byte[] _shareV;
        private bool _valid;

        /// <summary>w0: 32 bytes in [1, n-1]; L: SEC1 point. Check IsValid before use.</summary>
        public Spake2PlusVerifier(byte[] w0, byte[] l)
        {
            _valid = w0 != null && w0.Length == 32 && Scalar.TryDecodeNonZero(w0, 0, _w0)
                && l != null && _codec.TryDecode(l, 0, l.Length, _l);
            if (_valid)
            {
                System.Array.Copy(w0, _w0Bytes, 32);
            }
        }

        public bool IsValid
        {
            get { return _valid; }
        }

        /// <summary>The share sent to the prover after Start (null before, and after Finish).</summary>
        public byte[] ShareV
        {
            get { return _shareV; }
        }

        public byte[] Z { get; private set; }

        public byte[] V { get; private set; }

        /// <summary>y: 32 random bytes; false when they are not a scalar in [1, n-1] (draw again).</summary>
        public bool Start(byte[] y)
        {
            if (!_valid || y == null || y.Length != 32 || !Scalar.TryDecodeNonZero(y, 0, _y))
            {
                return false;
            }

            _multiplier.MultiplyComb2(_p, _y, Tables.GeneratorComb, _w0, Tables.SpakeNComb);
            _multiplier.Math.ToAffine(_affine, _p);
            _shareV = PointCodec.EncodeUncompressed(_affine);
            return true;
        }

        /// <summary>
        /// Processes the prover's share; null when it is not a valid point, or when X - w0·M is the identity.
        /// The caller must compare the prover's confirmation with ConfirmP of the result.
        /// </summary>
        public Spake2PlusKeySchedule Finish(byte[] shareP, byte[] context, byte[] idProver, byte[] idVerifier)
        {
            if (_shareV == null || shareP == null || shareP.Length != PointCodec.UncompressedLength || !_codec.TryDecode(shareP, 0, shareP.Length, _x))
            {
                return null;
            }

            // q = X - w0·M
            _multiplier.MultiplyComb(_q, _w0, Tables.SpakeMComb);
            Field.Negate(_q.Y, _q.Y);
            _multiplier.Math.AddMixedComplete(_q, _q, _x);
            if (_q.IsInfinity)
            {
                return null;
            }

            _multiplier.MultiplySecret(_p, _y, _q);
            _multiplier.Math.ToAffine(_affine, _p);
            Z = PointCodec.EncodeUncompressed(_affine);
            _q.SetAffine(_l);
            _multiplier.MultiplySecret(_p, _y, _q);
            _multiplier.Math.ToAffine(_affine, _p);
            V = PointCodec.EncodeUncompressed(_affine);
            // y is used once: a second Finish needs a new Start.
            System.Array.Clear(_y, 0, 8);
            byte[] shareV = _shareV;
            _shareV = null;
            return Spake2PlusKeySchedule.Derive(context, idProver, idVerifier, shareP, shareV, Z, V, _w0Bytes);
        }
    }
}
