using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// The device's side of SPAKE2+ (RFC 9383, P-256): it holds only the verifier (w0, L), never the setup
    /// code or w1. shareV = y·G + w0·N; on the prover's shareP = X: Z = y·(X - w0·M), V = y·L, and the key
    /// schedule. The prover's confirmation must then match (ConfirmP, in constant time) before the shared key
    /// may be used.
    /// <para>
    /// The values fixed by the verifier are computed once per instance (Prepare): w0·N, -w0·M and a 4-teeth comb
    /// of L, so a pairing costs one comb for y·G, one for y·L and one variable-base ladder for Z.
    /// The work runs in steps (Begin, then Step until it returns true; PrepareStep likewise) so that the device's
    /// main loop keeps running between them; Start and Finish run the same steps to the end.
    /// </para>
    /// </summary>
    public sealed class Spake2PlusVerifier
    {
        private const int CombColumnsPerStep = 4;
        private const int WindowsPerStep = 2;
        private const int DoublingsPerStep = 16;

        // Phases of the preparation, then of a pairing (one Step or PrepareStep runs one piece of one phase).
        private const int PrepareN = 0, PrepareNAffine = 1, PrepareM = 2, PrepareMAffine = 3, PrepareLPowers = 4, PrepareLSums = 5, PrepareLAffine = 6, Prepared = 7;
        private const int ShareComb = 10, ShareAffine = 11, ZBegin = 12, ZTable = 13, ZWindows = 14, ZAffine = 15, VComb = 16, VAffine = 17, KeySchedule = 18, Done = 19, Failed = 20;

        /// <summary>Steps of a pairing after preparation (for progress reports): 16 + 1 + 1 + 1 + 32 + 1 + 16 + 1 + 1.</summary>
        public const int PairingSteps = 70;

        private readonly ScalarMultiplier _multiplier = new ScalarMultiplier();
        private readonly PointCodec _codec = new PointCodec();
        private readonly uint[] _w0 = new uint[8];
        private readonly uint[] _y = new uint[8];
        private readonly byte[] _w0Bytes = new byte[32];
        private readonly AffinePoint _l = new AffinePoint();
        private readonly AffinePoint _x = new AffinePoint();
        private readonly AffinePoint _affine = new AffinePoint();
        private readonly AffinePoint _w0N = new AffinePoint();
        private readonly AffinePoint _minusW0M = new AffinePoint();
        private readonly uint[] _lComb = new uint[16 * Tables.PointLimbs];
        private readonly byte[] _encoded = new byte[PointCodec.UncompressedLength];
        private readonly JacobianPoint _p = new JacobianPoint();
        private readonly JacobianPoint _q = new JacobianPoint();
        private JacobianPoint[] _lPoints;
        private byte[] _shareV;
        private byte[] _shareP;
        private byte[] _challengeShare;
        private byte[] _context;
        private byte[] _idProver;
        private byte[] _idVerifier;
        private Spake2PlusKeySchedule _result;
        private readonly bool _valid;
        private int _prepare = PrepareN;
        private int _phase = Done;
        private int _index;
        private int _stepsDone;
        private bool _stopAfterShare;

        /// <summary>w0: 32 bytes in [1, n-1]; L: SEC1 point. Check IsValid before use.</summary>
        public Spake2PlusVerifier(byte[] w0, byte[] l)
        {
            _valid = w0 != null && w0.Length == 32 && Scalar.TryDecodeNonZero(w0, 0, _w0)
                && l != null && _codec.TryDecode(l, 0, l.Length, _l);
            if (_valid)
            {
                System.Array.Copy(w0, _w0Bytes, 32);
            }

            _index = 63;
        }

        public bool IsValid
        {
            get { return _valid; }
        }

        public bool IsPrepared
        {
            get { return _prepare == Prepared; }
        }

        /// <summary>The share sent to the prover after Start (null before, and after Finish).</summary>
        public byte[] ShareV
        {
            get { return _shareV; }
        }

        /// <summary>The shareV of the pairing that ended with the last Step (what PairChallenge carries).</summary>
        public byte[] ChallengeShare
        {
            get { return _challengeShare; }
        }

        public byte[] Z { get; private set; }

        public byte[] V { get; private set; }

        /// <summary>The key schedule after the last Step (null when X - w0·M was the identity).</summary>
        public Spake2PlusKeySchedule Result
        {
            get { return _result; }
        }

        /// <summary>Steps of the running pairing done so far (of PairingSteps).</summary>
        public int StepsDone
        {
            get { return _stepsDone; }
        }

        /// <summary>One piece of the preparation; true when the verifier is prepared.</summary>
        public bool PrepareStep()
        {
            switch (_prepare)
            {
                case PrepareN:
                    if (_index == 63) _p.SetInfinity();
                    _index = _multiplier.CombColumns(_p, _w0, Tables.SpakeNComb, _index, CombColumnsPerStep);
                    if (_index < 0) _prepare = PrepareNAffine;
                    break;
                case PrepareNAffine:
                    _multiplier.Math.ToAffine(_w0N, _p);
                    _index = 63;
                    _prepare = PrepareM;
                    break;
                case PrepareM:
                    if (_index == 63) _p.SetInfinity();
                    _index = _multiplier.CombColumns(_p, _w0, Tables.SpakeMComb, _index, CombColumnsPerStep);
                    if (_index < 0) _prepare = PrepareMAffine;
                    break;
                case PrepareMAffine:
                    _multiplier.Math.ToAffine(_minusW0M, _p);
                    Field.Negate(_minusW0M.Y, _minusW0M.Y);
                    _lPoints = new JacobianPoint[15];
                    for (int i = 0; i < 15; i++) _lPoints[i] = new JacobianPoint();
                    _p.SetAffine(_l);
                    _lPoints[0].CopyFrom(_p);
                    _index = 0;
                    _prepare = PrepareLPowers;
                    break;
                case PrepareLPowers:
                    // _lPoints[2^j - 1] = 2^(64j)·L for j = 1, 2, 3 (the comb's teeth).
                    for (int d = 0; d < DoublingsPerStep; d++)
                    {
                        _multiplier.Math.Double(_p, _p);
                        _index++;
                        if (_index % 64 == 0) _lPoints[(1 << (_index / 64)) - 1].CopyFrom(_p);
                    }

                    if (_index == 192) _prepare = PrepareLSums;
                    break;
                case PrepareLSums:
                    // Entry b (index b - 1) = the sum of the teeth of b's bits: entry of b without its top bit + that tooth.
                    // Two steps (b = 3..8, then 9..15) keep each under one inversion's cost.
                    for (int b = _index == 192 ? 3 : 9; b < (_index == 192 ? 9 : 16); b++)
                    {
                        int top = b >= 8 ? 8 : (b >= 4 ? 4 : 2);
                        if (b != top) _multiplier.Math.Add(_lPoints[b - 1], _lPoints[b - top - 1], _lPoints[top - 1]);
                    }

                    if (_index == 192)
                    {
                        _index = 193;
                    }
                    else
                    {
                        _index = 0;
                        _prepare = PrepareLAffine;
                    }

                    break;
                case PrepareLAffine:
                    // Entries 1..8, then 9..15, made affine with one inversion each.
                    int first = _index == 0 ? 0 : 8, count = _index == 0 ? 8 : 7;
                    JacobianPoint[] points = new JacobianPoint[count];
                    uint[][] scratch = new uint[count][];
                    for (int i = 0; i < count; i++)
                    {
                        points[i] = _lPoints[first + i];
                        scratch[i] = Field.Create();
                    }

                    uint[] entries = new uint[count * Tables.PointLimbs];
                    _multiplier.Math.ToAffineBatch(points, count, scratch, entries);
                    System.Array.Copy(entries, 0, _lComb, (first + 1) * Tables.PointLimbs, entries.Length);
                    if (_index == 0)
                    {
                        _index = 1;
                        break;
                    }

                    _lPoints = null;
                    _index = 63;
                    _prepare = Prepared;
                    break;
            }

            return _prepare == Prepared;
        }

        /// <summary>
        /// Bytes of the prepared values for storing them: SHA-256(w0 || L) (binds them to this verifier), w0·N,
        /// -w0·M and comb entries 1..15 of L, each point x || y big-endian.
        /// </summary>
        public const int PreparedLength = 32 + 17 * 64;

        /// <summary>Writes the prepared values (PreparedLength bytes); false before Prepare has finished.</summary>
        public bool ExportPrepared(byte[] output, int offset)
        {
            if (!IsPrepared || output == null || offset < 0 || offset + PreparedLength > output.Length)
            {
                return false;
            }

            Binding(output, offset);
            PointCodec.EncodeUncompressed(_w0N, _encoded, 0);
            System.Array.Copy(_encoded, 1, output, offset + 32, 64);
            PointCodec.EncodeUncompressed(_minusW0M, _encoded, 0);
            System.Array.Copy(_encoded, 1, output, offset + 96, 64);
            for (int entry = 1; entry < 16; entry++)
            {
                _affine.Load(_lComb, entry);
                PointCodec.EncodeUncompressed(_affine, _encoded, 0);
                System.Array.Copy(_encoded, 1, output, offset + 160 + 64 * (entry - 1), 64);
            }

            return true;
        }

        /// <summary>
        /// Takes stored prepared values instead of computing them: false (and nothing changes) when they belong
        /// to another w0 or L or a point is not on the curve.
        /// </summary>
        public bool TryImportPrepared(byte[] input, int offset, int length)
        {
            if (!_valid || input == null || offset < 0 || length != PreparedLength || offset + length > input.Length)
            {
                return false;
            }

            byte[] binding = new byte[32];
            Binding(binding, 0);
            if (!ConstantTime.AreEqual(binding, 0, input, offset, 32))
            {
                return false;
            }

            AffinePoint w0N = new AffinePoint(), minusW0M = new AffinePoint();
            uint[] comb = new uint[16 * Tables.PointLimbs];
            if (!DecodePoint(input, offset + 32, w0N) || !DecodePoint(input, offset + 96, minusW0M))
            {
                return false;
            }

            for (int entry = 1; entry < 16; entry++)
            {
                if (!DecodePoint(input, offset + 160 + 64 * (entry - 1), _affine))
                {
                    return false;
                }

                _affine.Store(comb, entry);
            }

            _w0N.CopyFrom(w0N);
            _minusW0M.CopyFrom(minusW0M);
            System.Array.Copy(comb, _lComb, comb.Length);
            _lPoints = null;
            _index = 63;
            _prepare = Prepared;
            return true;
        }

        private void Binding(byte[] output, int offset)
        {
            Sha256 sha = new Sha256();
            sha.Update(_w0Bytes);
            PointCodec.EncodeUncompressed(_l, _encoded, 0);
            sha.Update(_encoded);
            sha.Final(output, offset);
        }

        private bool DecodePoint(byte[] input, int offset, AffinePoint r)
        {
            _encoded[0] = 4;
            System.Array.Copy(input, offset, _encoded, 1, 64);
            return _codec.TryDecode(_encoded, 0, 65, r);
        }

        /// <summary>Runs PrepareStep to the end.</summary>
        public void Prepare()
        {
            while (!PrepareStep())
            {
            }
        }

        /// <summary>
        /// Starts a whole pairing: y (32 random bytes) and the prover's shareP. False when y is not a scalar in
        /// [1, n-1] (draw again) or shareP is not a valid point; then nothing started. Prepare first.
        /// </summary>
        public bool Begin(byte[] y, byte[] shareP, byte[] context, byte[] idProver, byte[] idVerifier)
        {
            if (!_valid || !IsPrepared || shareP == null || shareP.Length != PointCodec.UncompressedLength || !_codec.TryDecode(shareP, 0, shareP.Length, _x))
            {
                return false;
            }

            if (!BeginShare(y))
            {
                return false;
            }

            SetTranscript(shareP, context, idProver, idVerifier);
            _stopAfterShare = false;
            return true;
        }

        /// <summary>One piece of the running pairing; true when it is over (Result, ShareV, Z and V are then set).</summary>
        public bool Step()
        {
            switch (_phase)
            {
                case ShareComb:
                    _index = _multiplier.CombColumns(_p, _y, Tables.GeneratorComb, _index, CombColumnsPerStep);
                    if (_index < 0) _phase = ShareAffine;
                    break;
                case ShareAffine:
                    _multiplier.Math.AddMixedComplete(_p, _p, _w0N);
                    _multiplier.Math.ToAffine(_affine, _p);
                    _shareV = PointCodec.EncodeUncompressed(_affine);
                    _phase = _stopAfterShare ? Done : ZBegin;
                    break;
                case ZBegin:
                    // q = X - w0·M; the identity would make Z independent of the password: refused.
                    _q.SetAffine(_x);
                    _multiplier.Math.AddMixedComplete(_q, _q, _minusW0M);
                    if (_q.IsInfinity)
                    {
                        Fail();
                        break;
                    }

                    _multiplier.SecretBegin(_y, _q);
                    _phase = ZTable;
                    break;
                case ZTable:
                    _multiplier.SecretTable();
                    _index = ScalarMultiplier.TopWindow;
                    _phase = ZWindows;
                    break;
                case ZWindows:
                    _index = _multiplier.SecretWindows(_p, _index, WindowsPerStep);
                    if (_index < 0)
                    {
                        _multiplier.SecretEnd(_p);
                        _phase = ZAffine;
                    }

                    break;
                case ZAffine:
                    _multiplier.Math.ToAffine(_affine, _p);
                    Z = PointCodec.EncodeUncompressed(_affine);
                    _p.SetInfinity();
                    _index = 63;
                    _phase = VComb;
                    break;
                case VComb:
                    _index = _multiplier.CombColumns(_p, _y, _lComb, _index, CombColumnsPerStep);
                    if (_index < 0) _phase = VAffine;
                    break;
                case VAffine:
                    _multiplier.Math.ToAffine(_affine, _p);
                    V = PointCodec.EncodeUncompressed(_affine);
                    // y is used once: a second Finish needs a new Start.
                    System.Array.Clear(_y, 0, 8);
                    _phase = KeySchedule;
                    break;
                case KeySchedule:
                    byte[] shareV = _shareV;
                    _shareV = null;
                    _challengeShare = shareV;
                    _result = Spake2PlusKeySchedule.Derive(_context, _idProver, _idVerifier, _shareP, shareV, Z, V, _w0Bytes);
                    _phase = Done;
                    break;
            }

            _stepsDone++;
            return _phase == Done || _phase == Failed;
        }

        /// <summary>y: 32 random bytes; false when they are not a scalar in [1, n-1] (draw again). Prepares first if needed.</summary>
        public bool Start(byte[] y)
        {
            if (!_valid)
            {
                return false;
            }

            Prepare();
            if (!BeginShare(y))
            {
                return false;
            }

            _stopAfterShare = true;
            while (!Step())
            {
            }

            return true;
        }

        /// <summary>
        /// Processes the prover's share; null when it is not a valid point, or when X - w0·M is the identity.
        /// The caller must compare the prover's confirmation with ConfirmP of the result.
        /// </summary>
        public Spake2PlusKeySchedule Finish(byte[] shareP, byte[] context, byte[] idProver, byte[] idVerifier)
        {
            if (_shareV == null || _phase != Done || shareP == null || shareP.Length != PointCodec.UncompressedLength || !_codec.TryDecode(shareP, 0, shareP.Length, _x))
            {
                return null;
            }

            SetTranscript(shareP, context, idProver, idVerifier);
            _phase = ZBegin;
            while (!Step())
            {
            }

            return _result;
        }

        private bool BeginShare(byte[] y)
        {
            if (y == null || y.Length != 32 || !Scalar.TryDecodeNonZero(y, 0, _y))
            {
                return false;
            }

            _result = null;
            _shareV = null;
            Z = null;
            V = null;
            _stepsDone = 0;
            _p.SetInfinity();
            _index = 63;
            _phase = ShareComb;
            return true;
        }

        private void SetTranscript(byte[] shareP, byte[] context, byte[] idProver, byte[] idVerifier)
        {
            _shareP = shareP;
            _context = context;
            _idProver = idProver;
            _idVerifier = idVerifier;
        }

        private void Fail()
        {
            System.Array.Clear(_y, 0, 8);
            _shareV = null;
            _result = null;
            _phase = Failed;
        }
    }
}
