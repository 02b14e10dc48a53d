using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// ECDH on P-256 (SEC1 3.3.1): shared secret = x(k·Q). The peer's point is validated in full before use
    /// (invalid-curve points are refused); the private scalar goes through the constant-time ladder.
    /// </summary>
    public sealed class EcdhP256
    {
        private readonly ScalarMultiplier _multiplier = new ScalarMultiplier();
        private readonly PointCodec _codec = new PointCodec();
        private readonly AffinePoint _peer = new AffinePoint();
        private readonly AffinePoint _shared = new AffinePoint();
        private readonly JacobianPoint _base = new JacobianPoint();
        private readonly JacobianPoint _product = new JacobianPoint();
        private readonly uint[] _k = new uint[8];

        /// <summary>False (output untouched) for a private key outside [1, n-1] or an invalid peer point.</summary>
        public bool TryComputeSharedSecret(byte[] privateKey, byte[] peerPoint, int offset, int length, byte[] shared, int sharedOffset)
        {
            if (privateKey == null || privateKey.Length != 32 || !Scalar.TryDecodeNonZero(privateKey, 0, _k))
            {
                return false;
            }

            if (!_codec.TryDecode(peerPoint, offset, length, _peer))
            {
                return false;
            }

            _base.SetAffine(_peer);
            _multiplier.MultiplySecret(_product, _k, _base);
            System.Array.Clear(_k, 0, 8);
            if (!_multiplier.Math.ToAffine(_shared, _product))
            {
                return false;
            }

            Field.Encode(_shared.X, shared, sharedOffset);
            return true;
        }

        /// <summary>The public point k·G (uncompressed) of a private key in [1, n-1]; null otherwise.</summary>
        public byte[] PublicKeyOf(byte[] privateKey)
        {
            if (privateKey == null || privateKey.Length != 32 || !Scalar.TryDecodeNonZero(privateKey, 0, _k))
            {
                return null;
            }

            _multiplier.MultiplyComb(_product, _k, Tables.GeneratorComb);
            System.Array.Clear(_k, 0, 8);
            _multiplier.Math.ToAffine(_shared, _product);
            return PointCodec.EncodeUncompressed(_shared);
        }
    }
}
