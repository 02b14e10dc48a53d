using System;
using System.Text;
using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;

namespace SmartKey.Phone;

/// <summary>The Status response.</summary>
public sealed record DeviceStatusView(LockState Lock, int Door, int BatteryPercent, int BatteryMillivolts, BatteryState Battery,
    DateTimeOffset DeviceTime, int Keys, byte YourBindingId, byte YourRole, string FirmwareVersion, uint? OwnerChanges = null)
{
    /// <summary>OwnerChanges (owners only, after the version): owners added or revoked since the last factory reset.</summary>
    public static DeviceStatusView Parse(byte[] d) => new(
        (LockState)d[0], d[1], d[2], BitConverter.ToUInt16(d, 3), (BatteryState)d[5],
        DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToUInt32(d, 6)), d[10], d[11], d[12], Encoding.ASCII.GetString(d, 14, d[13]),
        d.Length >= 14 + d[13] + 4 ? BitConverter.ToUInt32(d, 14 + d[13]) : null);

    public string DoorText => Door switch { 0 => "closed", 1 => "open", _ => "no sensor" };
}

/// <summary>One entry of ListKeys (never the key itself).</summary>
public sealed record KeyView(byte Id, byte Role, bool Revoked, uint ValidFrom, uint ValidUntil, byte Days, int StartMinute, int EndMinute)
{
    public static KeyView Parse(byte[] d, int at) => new(d[at], d[at + 1], d[at + 2] != 0, BitConverter.ToUInt32(d, at + 3), BitConverter.ToUInt32(d, at + 7), d[at + 11], BitConverter.ToUInt16(d, at + 12), BitConverter.ToUInt16(d, at + 14));

    public string RoleText => Role == SmartKey.Firmware.Keys.BindingRole.Owner ? "owner" : "guest";
}

/// <summary>One unlock-log entry as ReadLog returns it.</summary>
public sealed record LogEntryView(uint Sequence, uint UnixTime, byte BindingId, byte Action, byte Trigger, byte Result)
{
    public static LogEntryView Parse(byte[] d, int at) => new(BitConverter.ToUInt32(d, at), BitConverter.ToUInt32(d, at + 4), d[at + 8], d[at + 9], d[at + 10], d[at + 11]);

    public string ActionText => NameOf(Action);

    /// <summary>The name of each log action as docs/protocol.md §6 lists it (a test holds every LogAction to a name here).</summary>
    public static string NameOf(byte action) => action switch
    {
        LogAction.Unlock => "unlock", LogAction.Lock => "lock", LogAction.AutoLock => "auto-lock", LogAction.Paired => "paired",
        LogAction.KeyAdded => "key added", LogAction.KeyRevoked => "key revoked", LogAction.AuthenticationFailed => "authentication failed",
        LogAction.Jammed => "jammed", LogAction.SettingsChanged => "settings changed", LogAction.ClockSet => "clock set",
        LogAction.PairingFailed => "pairing failed", LogAction.FirmwareUpdated => "firmware updated",
        LogAction.AuthenticationFailures => "authentication failures", LogAction.OwnerInviteOpened => "owner invite opened",
        _ => "action " + action + " (unknown to this app)",
    };

    /// <summary>The result column: for a closed burst of failed authentications it is the count, not an error code.</summary>
    public string ResultText => Action == LogAction.AuthenticationFailures ? (Result == 255 ? "255 or more failures" : Result + " failures")
        : Result == 0 ? "ok" : ErrorText.Describe(Result);

    public string TriggerText => Trigger switch { 1 => "phone", 2 => "button", 3 => "timer", 4 => "door", 5 => "system", _ => "?" };

    public override string ToString() =>
        $"#{Sequence} {DateTimeOffset.FromUnixTimeSeconds(UnixTime):yyyy-MM-dd HH:mm:ss} {ActionText,-22} by {TriggerText,-6} key {(BindingId == 0 ? "-" : BindingId.ToString())} {ResultText}";
}
