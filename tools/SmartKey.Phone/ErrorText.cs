using SmartKey.Firmware.Protocol;

namespace SmartKey.Phone;

/// <summary>What each ErrorCode means to a person, and what to do next.</summary>
public static class ErrorText
{
    public static string Describe(byte code) => code switch
    {
        ErrorCode.Ok => "ok",
        ErrorCode.MalformedFrame => "the lock could not read the message (malformed frame): try again",
        ErrorCode.MessageTooLarge => "message longer than the lock takes (1024 bytes)",
        ErrorCode.ReassemblyTimeout => "the message arrived too slowly (more than 2 s between fragments): try again",
        ErrorCode.UnknownMessage => "unknown message",
        ErrorCode.NotProvisioned => "the device is not provisioned yet (factory step missing)",
        ErrorCode.PairingNotAllowed => "pairing is closed: the lock has an owner; ask an owner for a one-time code (smartkey allow-owner), or the one you have expired or was used",
        ErrorCode.PairingBackoff => "too many pairing attempts: wait and try again",
        ErrorCode.PairingLocked => "pairing locked after too many attempts: press the button inside the lock, then try again",
        ErrorCode.WrongSetupCode => "wrong setup code",
        ErrorCode.InvalidShare => "invalid pairing share",
        ErrorCode.NoPairingInProgress => "no pairing in progress",
        ErrorCode.UnknownBinding => "this phone's key is not known to the lock",
        ErrorCode.BindingRevoked => "this key was revoked",
        ErrorCode.AuthenticationFailed => "this key does not open this lock (wrong, revoked or unknown key)",
        ErrorCode.Replay => "replayed message refused",
        ErrorCode.StaleNonce => "stale session nonce",
        ErrorCode.SessionExpired => "the session expired: run the command again",
        ErrorCode.NoSession => "no session",
        ErrorCode.AuthenticationBackoff => "too many failed attempts: wait and try again",
        ErrorCode.NotPermitted => "only an owner may do that",
        ErrorCode.OutsideAccessWindow => "outside this key's access window",
        ErrorCode.InvalidArgument => "the lock does not take that value (out of its range)",
        ErrorCode.KeysFull => "no room for another key",
        ErrorCode.LastOwner => "the last owner cannot be revoked (use a factory reset)",
        ErrorCode.CommandExpired => "too long since the last exchange (command expired): run the command again",
        ErrorCode.UnknownCommand => "unknown command",
        ErrorCode.ClockBehind => "the lock's clock is behind its own log (lost power?): an owner must set the time before guest keys work again",
        ErrorCode.LockBusy => "the bolt is moving",
        ErrorCode.LockJammed => "the bolt is jammed",
        ErrorCode.LockFault => "end-stop wiring fault",
        ErrorCode.StorageError => "storage error on the device",
        ErrorCode.BatteryTooLow => "battery too low",
        ErrorCode.Unsupported => "not supported by this firmware",
        ErrorCode.Busy => "device busy",
        _ => "error " + code,
    };
}
