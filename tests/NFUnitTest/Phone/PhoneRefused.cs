using System;

namespace SmartKey.NFUnitTest.Phone
{
    /// <summary>The lock refused, or answered what the phone cannot accept: the protocol's error code (ErrorCode) and why.</summary>
    public sealed class PhoneRefused : Exception
    {
        public PhoneRefused(byte code, string why)
            : base(why + " (error " + code.ToString() + ")")
        {
            Code = code;
        }

        public byte Code { get; private set; }
    }
}
