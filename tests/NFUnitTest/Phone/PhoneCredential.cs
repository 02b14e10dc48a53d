namespace SmartKey.NFUnitTest.Phone
{
    /// <summary>What a phone keeps after pairing or from a guest pass: the binding id, its 256-bit key and the role (BindingRole).</summary>
    public sealed class PhoneCredential
    {
        public PhoneCredential(byte bindingId, byte role, byte[] key)
        {
            BindingId = bindingId;
            Role = role;
            Key = key;
        }

        public byte BindingId { get; private set; }

        public byte Role { get; private set; }

        public byte[] Key { get; private set; }
    }
}
