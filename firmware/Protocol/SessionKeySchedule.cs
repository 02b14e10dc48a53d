using SmartKey.Firmware.Crypto;

namespace SmartKey.Firmware.Protocol
{
    /// <summary>
    /// Session keys: HKDF-SHA256(salt = "SmartKey session v1", ikm = binding key,
    /// info = binding id || phone nonce (8) || device nonce (8), 32 bytes) = K_pd (phone→device, 16) || K_dp
    /// (device→phone, 16). Fresh nonces from both sides make every session's keys new; separate keys per
    /// direction make a reflected message fail authentication.
    /// </summary>
    public static class SessionKeySchedule
    {
        public const int NonceLength = 8;
        public const int KeyLength = 16;
        public static readonly byte[] Salt = Ascii("SmartKey session v1");

        public const int InfoLength = 1 + 2 * NonceLength;

        public static void Derive(byte[] bindingKey, byte bindingId, byte[] phoneNonce, byte[] deviceNonce, byte[] phoneToDevice, byte[] deviceToPhone)
        {
            byte[] okm = new byte[2 * KeyLength];
            Derive(new HmacSha256(), bindingKey, bindingId, phoneNonce, deviceNonce, okm, new byte[InfoLength], new byte[32], new byte[32]);
            System.Array.Copy(okm, 0, phoneToDevice, 0, KeyLength);
            System.Array.Copy(okm, KeyLength, deviceToPhone, 0, KeyLength);
            Bytes.Wipe(okm);
        }

        /// <summary>The same schedule into okm (32 bytes: K_pd || K_dp) with the caller's HMAC and scratch: no allocation.</summary>
        public static void Derive(HmacSha256 mac, byte[] bindingKey, byte bindingId, byte[] phoneNonce, byte[] deviceNonce, byte[] okm, byte[] info, byte[] prk, byte[] block)
        {
            info[0] = bindingId;
            System.Array.Copy(phoneNonce, 0, info, 1, NonceLength);
            System.Array.Copy(deviceNonce, 0, info, 1 + NonceLength, NonceLength);
            Hkdf.DeriveInto(mac, Salt, bindingKey, info, InfoLength, prk, block, okm, 2 * KeyLength);
        }

        /// <summary>The owner binding's key after pairing: HKDF(salt "SmartKey binding v1", K_shared, "owner", 32).</summary>
        public static byte[] OwnerBindingKey(byte[] sharedKey)
        {
            return Hkdf.DeriveKey(Ascii("SmartKey binding v1"), sharedKey, Ascii("owner"), 32);
        }

        /// <summary>The tag of PairAccepted: HMAC(binding key, "SmartKey paired" || id), first 16 bytes.</summary>
        public static byte[] PairedTag(byte[] bindingKey, byte bindingId)
        {
            byte[] label = Ascii("SmartKey paired ");
            label[label.Length - 1] = bindingId;
            byte[] mac = HmacSha256.Compute(bindingKey, label);
            return Bytes.Slice(mac, 0, 16);
        }

        public static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
            return bytes;
        }
    }
}
