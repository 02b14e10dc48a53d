using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// The phone's side of SPAKE2+ (RFC 9383, P-256), holding w0 and w1 derived from the setup code:
    /// shareP = x·G + w0·M; on shareV = Y, Z = x·(Y - w0·N) and V = w1·(Y - w0·N). Portable so that the
    /// phone library, the simulator and on-target tests all run the same code. Also registers a device:
    /// L = w1·G is what the technician provisions next to w0.
    /// </summary>
    public sealed class Spake2PlusProver
    {
        private readonly ScalarMultiplier _multiplier = new ScalarMultiplier();
        private readonly PointCodec _codec = new PointCodec();
        private readonly uint[] _w0 = new uint[8];
        private readonly uint[] _w1 = new uint[8];
        private readonly uint[] _x = new uint[8];
        private readonly byte[] _w0Bytes = new byte[32];
        private readonly AffinePoint _y = new AffinePoint();
        private readonly AffinePoint _affine = new AffinePoint();
        private readonly JacobianPoint _p = new JacobianPoint();
        private readonly JacobianPoint _q = new JacobianPoint();
        private byte[] _shareP;
        private readonly bool _valid;

        public Spake2PlusProver(byte[] w0, byte[] w1)
        {
            _valid = w0 != null && w0.Length == 32 && Scalar.TryDecodeNonZero(w0, 0, _w0)
                && w1 != null && w1.Length == 32 && Scalar.TryDecodeNonZero(w1, 0, _w1);
            if (_valid)
            {
                System.Array.Copy(w0, _w0Bytes, 32);
            }
        }

        public bool IsValid
        {
            get { return _valid; }
        }

        public byte[] ShareP
        {
            get { return _shareP; }
        }

        public byte[] Z { get; private set; }

        public byte[] V { get; private set; }

        /// <summary>The registration record's L = w1·G (uncompressed), for provisioning.</summary>
        public byte[] ComputeL()
        {
            _multiplier.MultiplyComb(_p, _w1, Tables.GeneratorComb);
            _multiplier.Math.ToAffine(_affine, _p);
            return PointCodec.EncodeUncompressed(_affine);
        }

        /// <summary>x: 32 random bytes; false when not a scalar in [1, n-1] (draw again).</summary>
        public bool Start(byte[] x)
        {
            if (!_valid || x == null || x.Length != 32 || !Scalar.TryDecodeNonZero(x, 0, _x))
            {
                return false;
            }

            _multiplier.MultiplyComb2(_p, _x, Tables.GeneratorComb, _w0, Tables.SpakeMComb);
            _multiplier.Math.ToAffine(_affine, _p);
            _shareP = PointCodec.EncodeUncompressed(_affine);
            return true;
        }

        /// <summary>Processes the verifier's share; null when it is invalid. Compare ConfirmV with the device's.</summary>
        public Spake2PlusKeySchedule Finish(byte[] shareV, byte[] context, byte[] idProver, byte[] idVerifier)
        {
            if (_shareP == null || shareV == null || shareV.Length != PointCodec.UncompressedLength || !_codec.TryDecode(shareV, 0, shareV.Length, _y))
            {
                return null;
            }

            // q = Y - w0·N
            _multiplier.MultiplyComb(_q, _w0, Tables.SpakeNComb);
            Field.Negate(_q.Y, _q.Y);
            _multiplier.Math.AddMixedComplete(_q, _q, _y);
            if (_q.IsInfinity)
            {
                return null;
            }

            _multiplier.MultiplySecret(_p, _x, _q);
            _multiplier.Math.ToAffine(_affine, _p);
            Z = PointCodec.EncodeUncompressed(_affine);
            _multiplier.MultiplySecret(_p, _w1, _q);
            _multiplier.Math.ToAffine(_affine, _p);
            V = PointCodec.EncodeUncompressed(_affine);
            System.Array.Clear(_x, 0, 8);
            byte[] shareP = _shareP;
            _shareP = null;
            return Spake2PlusKeySchedule.Derive(context, idProver, idVerifier, shareP, shareV, Z, V, _w0Bytes);
        }
    }
}
