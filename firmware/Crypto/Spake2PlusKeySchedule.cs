namespace SmartKey.Firmware.Crypto
{
    /// <summary>
    /// The SPAKE2+ transcript and key schedule of RFC 9383 for P256-SHA256-HKDF-SHA256-HMAC-SHA256, shared
    /// by both roles: TT = each of Context, idProver, idVerifier, M, N, shareP, shareV, Z, V, w0 prefixed by
    /// its length as 8 bytes little-endian; K_main = SHA256(TT); K_confirmP || K_confirmV =
    /// HKDF(nil, K_main, "ConfirmationKeys", 64); K_shared = HKDF(nil, K_main, "SharedKey", 32);
    /// confirmP = HMAC(K_confirmP, shareV); confirmV = HMAC(K_confirmV, shareP).
    /// </summary>
    public sealed class Spake2PlusKeySchedule
    {
        /// <summary>M and N of RFC 9383 for P-256, uncompressed (as they enter the transcript).</summary>
        public static readonly byte[] M = Point("886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f5ff355163e43ce224e0b0e65ff02ac8e5c7be09419c785e0ca547d55a12e2d20");
        public static readonly byte[] N = Point("d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b4907d60aa6bfade45008a636337f5168c64d9bd36034808cd564490b1e656edbe7");

        private static readonly byte[] ConfirmationKeysInfo = Ascii("ConfirmationKeys");
        private static readonly byte[] SharedKeyInfo = Ascii("SharedKey");

        public byte[] Transcript;
        public byte[] MainKey;
        public byte[] ConfirmProverKey;
        public byte[] ConfirmVerifierKey;
        public byte[] ConfirmP;
        public byte[] ConfirmV;
        public byte[] SharedKey;

        public static Spake2PlusKeySchedule Derive(byte[] context, byte[] idProver, byte[] idVerifier,
            byte[] shareP, byte[] shareV, byte[] z, byte[] v, byte[] w0)
        {
            byte[][] parts = new byte[][] { context, idProver, idVerifier, M, N, shareP, shareV, z, v, w0 };
            int length = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                length += 8 + parts[i].Length;
            }

            byte[] tt = new byte[length];
            int at = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                Bytes.WriteInt64LittleEndian(parts[i].Length, tt, at);
                System.Array.Copy(parts[i], 0, tt, at + 8, parts[i].Length);
                at += 8 + parts[i].Length;
            }

            var schedule = new Spake2PlusKeySchedule();
            schedule.Transcript = tt;
            schedule.MainKey = Sha256.Hash(tt);
            byte[] confirmation = Hkdf.DeriveKey(null, schedule.MainKey, ConfirmationKeysInfo, 64);
            schedule.ConfirmProverKey = Bytes.Slice(confirmation, 0, 32);
            schedule.ConfirmVerifierKey = Bytes.Slice(confirmation, 32, 32);
            Bytes.Wipe(confirmation);
            schedule.SharedKey = Hkdf.DeriveKey(null, schedule.MainKey, SharedKeyInfo, 32);
            schedule.ConfirmP = HmacSha256.Compute(schedule.ConfirmProverKey, shareV);
            schedule.ConfirmV = HmacSha256.Compute(schedule.ConfirmVerifierKey, shareP);
            return schedule;
        }

        /// <summary>Forgets every secret of the exchange except the shared key the caller keeps.</summary>
        public void WipeExceptSharedKey()
        {
            Bytes.Wipe(Transcript);
            Bytes.Wipe(MainKey);
            Bytes.Wipe(ConfirmProverKey);
            Bytes.Wipe(ConfirmVerifierKey);
        }

        private static byte[] Point(string xyHex)
        {
            byte[] xy;
            SmartKey.Firmware.Text.Hex.TryDecode(xyHex, out xy);
            byte[] point = new byte[65];
            point[0] = 0x04;
            System.Array.Copy(xy, 0, point, 1, 64);
            return point;
        }

        private static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }
    }
}
