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
            SecurityCounter = 0;
            if (trailerLength < header.ProtectedTlvSize) return OtaError.Truncated;

            // Protected TLVs: security counter and hardware id.
            bool hasCounter = false;
            string imageHardware = null;
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
                        if (length != 4 || hasCounter) return OtaError.BadTlv;
                        SecurityCounter = Bytes.ReadUInt32LittleEndian(trailer, at);
                        hasCounter = true;
                    }
                    else if (type == ImageFormat.TlvHardwareId)
                    {
                        if (length < 1 || length > OtaOffer.MaxHardwareId || imageHardware != null) return OtaError.BadTlv;
                        char[] chars = new char[length];
                        for (int i = 0; i < length; i++) chars[i] = (char)trailer[at + i];
                        imageHardware = new string(chars);
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
            if (!_ecdsa.VerifyDigestDer(key, 0, key.Length, digest, 0, trailer, signatureAt, signatureLength)) return OtaError.BadSignature;

            // Authenticated from here on.
            if (imageHardware == null) return OtaError.NoHardwareId;
            if (imageHardware != hardwareId) return OtaError.WrongHardware;
            if (!hasCounter) return OtaError.NoSecurityCounter;
            if (SecurityCounter < storedCounter) return OtaError.SecurityCounterTooLow;
            if (!IsNewer(header.Major, header.Minor, header.Revision, header.Build, runningVersion)) return OtaError.Downgrade;
            return OtaError.None;
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
