using System;

namespace SmartKey.OtaServer;

/// <summary>An operator request refused for a reason the operator can act on; Status is the HTTP status it maps to.</summary>
public sealed class OperationException : Exception
{
    public OperationException(int status, string message) : base(message) => Status = status;

    public int Status { get; }

    public static OperationException NotFound(string what) => new(404, what + " not found");

    public static OperationException Conflict(string message) => new(409, message);

    public static OperationException Forbidden(string message) => new(403, message);
}
