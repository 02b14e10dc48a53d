using SmartKey.Firmware.Crypto;

namespace SmartKey.Firmware.Ota
{
    /// <summary>
    /// Answers one question: is this image valid for this lock? Checks, in order, the TLV areas' structure,
    /// the hash, the signing key (KEYHASH, or the full PUBKEY) against the provisioned trust keys, the
    /// signature (only authenticated data is looked at after this), then the hardware id, the security counter
    /// against the stored one, and the version against the running one. Each failure has its own code. The
    /// digest is the streamed SHA-256 of header, payload and protected TLVs; trailer holds the TLV areas, and
    /// whatever follows them there (imgtool --pad's padding and image trailer) is ignored, as MCUboot does.
    /// Stepped for the update agent: Begin does everything up to the signature (bounded: parsing and the key
    /// hashes), each Step one bounded piece of the signature check (EcdsaP256Verifier), and the authenticated
    /// checks run in the step that finishes it; Verify is that loop.
    /// </summary>
    public sealed class ImageVerifier
    {
        private static readonly byte[] SpkiPrefix = new byte[]
        {
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A,
            0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
        };

        private readonly EcdsaP256Verifier _ecdsa = new EcdsaP256Verifier();

        public uint SecurityCounter { get; private set; }

        private ImageHeader _header;
        private string _imageHardware;
        private bool _hasCounter;
        private string _hardwareId;
        private uint _storedCounter;
        private string _runningVersion;
        private bool _checking;

        /// <summary>True once the signature verified (whatever the authenticated checks then said); false after Begin.</summary>
        public bool SignatureValid { get; private set; }

        /// <summary>The verdict once Step returned true (or Begin refused).</summary>
        public byte Result { get; private set; }

        /// <summary>Steps of the signature check since the last Begin.</summary>
        public int SignatureSteps
        {
            get { return _ecdsa.Steps; }
        }

        /// <summary>KEYHASH of a P-256 key: SHA-256 of its DER SubjectPublicKeyInfo (what imgtool puts in the image).</summary>
        public static byte[] KeyHash(byte[] uncompressedPoint)
        {
            Sha256 sha = new Sha256();
            sha.Update(SpkiPrefix, 0, SpkiPrefix.Length);
            sha.Update(uncompressedPoint, 0, uncompressedPoint.Length);
            return sha.Final();
        }

        public byte Verify(ImageHeader header, byte[] digest, byte[] trailer, int trailerLength, byte[][] trustKeys,
            string hardwareId, uint storedCounter, string runningVersion)
        {
            if (Begin(header, digest, trailer, trailerLength, trustKeys, hardwareId, storedCounter, runningVersion) != OtaError.None) return Result;
            while (!Step())
            {
            }

            return Result;
        }

        /// <summary>
        /// Checks everything before the signature and starts the signature check: OtaError.None when Step must now
        /// be called until it returns true, else the verdict (also in Result). The inputs are not kept: the
        /// digest and the signature are copied, the authenticated fields read here.
        /// </summary>
        public byte Begin(ImageHeader header, byte[] digest, byte[] trailer, int trailerLength, byte[][] trustKeys,
            string hardwareId, uint storedCounter, string runningVersion)
        {
            _checking = false;
            SignatureValid = false;
            Result = Check(header, digest, trailer, trailerLength, trustKeys);
            if (Result != OtaError.None) return Result;
            _header = header;
            _hardwareId = hardwareId;
            _storedCounter = storedCounter;
            _runningVersion = runningVersion;
            _checking = true;
            return OtaError.None;
        }

        /// <summary>One bounded step of the signature check; true when the verdict is in Result.</summary>
        public bool Step()
        {
            if (!_checking) return true;
            if (!_ecdsa.Step()) return false;
            _checking = false;
            SignatureValid = _ecdsa.Valid;
            Result = _ecdsa.Valid ? Authenticated() : OtaError.BadSignature;
            return true;
        }

        /// <summary>Abandons a check in progress (Step then answers at once with the last Result).</summary>
        public void Cancel()
        {
            _checking = false;
        }

        /// <summary>What the signature covers, looked at only after it verified.</summary>
        private byte Authenticated()
        {
            if (_imageHardware == null) return OtaError.NoHardwareId;
            if (_imageHardware != _hardwareId) return OtaError.WrongHardware;
            if (!_hasCounter) return OtaError.NoSecurityCounter;
            if (SecurityCounter < _storedCounter) return OtaError.SecurityCounterTooLow;
            if (!IsNewer(_header.Major, _header.Minor, _header.Revision, _header.Build, _runningVersion)) return OtaError.Downgrade;
            return OtaError.None;
        }

        private byte Check(ImageHeader header, byte[] digest, byte[] trailer, int trailerLength, byte[][] trustKeys)
        {
            SecurityCounter = 0;
            _hasCounter = false;
            _imageHardware = null;
            if (trailerLength < header.ProtectedTlvSize) return OtaError.Truncated;

            // Protected TLVs: security counter and hardware id.
            if (header.ProtectedTlvSize > 0)
            {
                TlvIterator prot;
                int protLength;
                byte opened = TlvIterator.TryOpen(trailer, 0, header.ProtectedTlvSize, ImageFormat.ProtectedTlvInfoMagic, out prot, out protLength);
                if (opened != OtaError.None) return opened;
                if (protLength != header.ProtectedTlvSize) return OtaError.BadTlv;
                int type, at, length;
                byte error;
                while (prot.Next(out type, out at, out length, out error))
                {
                    if (type == ImageFormat.TlvSecurityCounter)
                    {
                        if (length != 4 || _hasCounter) return OtaError.BadTlv;
                        SecurityCounter = Bytes.ReadUInt32LittleEndian(trailer, at);
                        _hasCounter = true;
                    }
                    else if (type == ImageFormat.TlvHardwareId)
                    {
                        if (length < 1 || length > OtaOffer.MaxHardwareId || _imageHardware != null) return OtaError.BadTlv;
                        char[] chars = new char[length];
                        for (int i = 0; i < length; i++) chars[i] = (char)trailer[at + i];
                        _imageHardware = new string(chars);
                    }
                }

                if (error != OtaError.None) return error;
            }

            // Unprotected TLVs: hash, key hash, signature.
            TlvIterator tlvs;
            int areaLength;
            byte open = TlvIterator.TryOpen(trailer, header.ProtectedTlvSize, trailerLength - header.ProtectedTlvSize, ImageFormat.TlvInfoMagic, out tlvs, out areaLength);
            if (open != OtaError.None) return open;
            int hashAt = -1, keyHashAt = -1, publicKeyAt = -1, signatureAt = -1, signatureLength = 0;
            int t, v, n;
            byte e;
            while (tlvs.Next(out t, out v, out n, out e))
            {
                if (t == ImageFormat.TlvSha256)
                {
                    if (n != 32 || hashAt >= 0) return OtaError.BadTlv;
                    hashAt = v;
                }
                else if (t == ImageFormat.TlvKeyHash)
                {
                    if (n != 32 || keyHashAt >= 0) return OtaError.BadTlv;
                    keyHashAt = v;
                }
                else if (t == ImageFormat.TlvPublicKey)
                {
                    if (n != SpkiPrefix.Length + 65 || publicKeyAt >= 0) return OtaError.UnknownKey;
                    publicKeyAt = v;
                }
                else if (t == ImageFormat.TlvEcdsaSignature)
                {
                    if (n < 8 || n > 72 || signatureAt >= 0) return OtaError.BadTlv;
                    signatureAt = v;
                    signatureLength = n;
                }
            }

            if (e != OtaError.None) return e;
            // Exactly one way of naming the signing key: its hash (imgtool's default) or the key itself.
            if (hashAt < 0 || signatureAt < 0 || (keyHashAt < 0) == (publicKeyAt < 0)) return OtaError.BadTlv;
            if (!ConstantTime.AreEqual(digest, 0, trailer, hashAt, 32)) return OtaError.HashMismatch;

            byte[] key = null;
            for (int k = 0; trustKeys != null && k < trustKeys.Length && key == null; k++)
            {
                if (keyHashAt >= 0 ? ConstantTime.AreEqual(KeyHash(trustKeys[k]), 0, trailer, keyHashAt, 32) : IsPublicKey(trailer, publicKeyAt, trustKeys[k])) key = trustKeys[k];
            }

            if (key == null) return OtaError.UnknownKey;
            signatureLength = DerLength(trailer, signatureAt, signatureLength);
            _ecdsa.BeginDigestDer(key, 0, key.Length, digest, 0, trailer, signatureAt, signatureLength);
            return OtaError.None;
        }

        /// <summary>
        /// The length of the DER signature in an ECDSA_SIG TLV of length n: n, or, for imgtool --pad-sig (a signature
        /// zero-padded to 72 bytes for old MCUboot versions), the length its SEQUENCE header gives when only zeros
        /// follow it. MCUboot's TinyCrypt backend reads the SEQUENCE and ignores what follows it; the lock takes the
        /// padding only when it is zeros up to 72 bytes. Anything else is handed over unchanged (and fails as DER).
        /// </summary>
        private static int DerLength(byte[] b, int offset, int n)
        {
            if (n != 72 || b[offset] != 0x30 || b[offset + 1] > 0x7F) return n;
            int der = 2 + b[offset + 1];
            if (der > n) return n;
            for (int i = der; i < n; i++)
            {
                if (b[offset + i] != 0) return n;
            }

            return der;
        }

        /// <summary>True when the PUBKEY value at offset is the DER SubjectPublicKeyInfo of this P-256 point.</summary>
        private static bool IsPublicKey(byte[] b, int offset, byte[] uncompressedPoint)
        {
            if (uncompressedPoint == null || uncompressedPoint.Length != 65) return false;
            for (int i = 0; i < SpkiPrefix.Length; i++)
            {
                if (b[offset + i] != SpkiPrefix[i]) return false;
            }

            return ConstantTime.AreEqual(uncompressedPoint, 0, b, offset + SpkiPrefix.Length, 65);
        }

        /// <summary>Fails closed: with an unparseable running version nothing counts as newer (no downgrade check is skipped).</summary>
        public static bool IsNewer(int major, int minor, int revision, long build, string runningVersion)
        {
            int rMajor, rMinor, rRevision;
            long rBuild;
            if (!SmartKey.Firmware.Text.Versions.TryParse(runningVersion, out rMajor, out rMinor, out rRevision, out rBuild)) return false;
            return SmartKey.Firmware.Text.Versions.Compare(major, minor, revision, build, rMajor, rMinor, rRevision, rBuild) > 0;
        }
    }
}
