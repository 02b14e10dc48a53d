namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104) in portable code. SetKey hashes the padded key once and keeps the inner and
    /// outer states, so each MAC costs only the message blocks plus one outer compression (64 bytes: 3).
    /// The device may use its native HMAC through the hal instead; this one is what the core and the
    /// benchmarks count.
    /// </summary>
    public sealed class HmacSha256
    {
        public const int TagLength = 32;

        private readonly Sha256 _innerKeyed = new Sha256();
        private readonly Sha256 _outerKeyed = new Sha256();
        private readonly Sha256 _work = new Sha256();
        private readonly byte[] _innerHash = new byte[Sha256.HashLength];
        private readonly byte[] _pad = new byte[Sha256.BlockLength];
        private bool _keyed;

        public HmacSha256()
        {
        }

        public HmacSha256(byte[] key)
        {
            SetKey(key, 0, key.Length);
        }

        public void SetKey(byte[] key, int offset, int count)
        {
            System.Array.Clear(_pad, 0, _pad.Length);
            if (count > Sha256.BlockLength)
            {
                _work.Reset();
                _work.Update(key, offset, count);
                _work.Final(_pad, 0);
            }
            else
            {
                System.Array.Copy(key, offset, _pad, 0, count);
            }

            for (int i = 0; i < _pad.Length; i++)
            {
                _pad[i] ^= 0x36;
            }

            _innerKeyed.Reset();
            _innerKeyed.Update(_pad, 0, _pad.Length);
            for (int i = 0; i < _pad.Length; i++)
            {
                _pad[i] ^= 0x36 ^ 0x5c;
            }

            _outerKeyed.Reset();
            _outerKeyed.Update(_pad, 0, _pad.Length);
            System.Array.Clear(_pad, 0, _pad.Length);
            _keyed = true;
        }

        /// <summary>Starts a MAC under the current key; feed with Update, finish with Final.</summary>
        public void Begin()
        {
            if (!_keyed)
            {
                throw new System.InvalidOperationException("HMAC key not set");
            }

            _innerKeyed.CopyStateTo(_work);
        }

        public void Update(byte[] data, int offset, int count)
        {
            _work.Update(data, offset, count);
        }

        public void Final(byte[] tag, int offset)
        {
            _work.Final(_innerHash, 0);
            _outerKeyed.CopyStateTo(_work);
            _work.Update(_innerHash, 0, _innerHash.Length);
            _work.Final(tag, offset);
        }

        public void Compute(byte[] data, int offset, int count, byte[] tag, int tagOffset)
        {
            Begin();
            Update(data, offset, count);
            Final(tag, tagOffset);
        }

        public static byte[] Compute(byte[] key, byte[] data)
        {
            HmacSha256 mac = new HmacSha256(key);
            byte[] tag = new byte[TagLength];
            mac.Compute(data, 0, data.Length, tag, 0);
            return tag;
        }
    }
}
