using System;

namespace SmartKey.Phone;

/// <summary>A refusal from the device (Code is the protocol's ErrorCode) or a failure of the link.</summary>
public sealed class PhoneException : Exception
{
    public PhoneException(byte code, string message, int retryAfterSeconds = 0) : base(message)
    {
        Code = code;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public byte Code { get; }

    public int RetryAfterSeconds { get; }
}
