using System;
using System.Text;

namespace SmartKey.Phone;

/// <summary>
/// What a phone keeps after pairing or receiving a guest pass: the lock's serial, the binding id, the
/// 256-bit key and the role. A guest pass shares it as text: "skg1." + base64url(serial length | serial |
/// id | role | key). Treat it as secret: whoever holds it opens the lock within the guest's window.
/// </summary>
public sealed record Credential(string Serial, byte BindingId, byte Role, byte[] Key)
{
    public const string PassPrefix = "skg1.";

    public bool IsOwner => Role == SmartKey.Firmware.Keys.BindingRole.Owner;

    public string ToPass()
    {
        var serial = Encoding.ASCII.GetBytes(Serial);
        var bytes = new byte[1 + serial.Length + 2 + 32];
        bytes[0] = (byte)serial.Length;
        serial.CopyTo(bytes, 1);
        bytes[1 + serial.Length] = BindingId;
        bytes[2 + serial.Length] = Role;
        Key.CopyTo(bytes, 3 + serial.Length);
        return PassPrefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The credential of a guest pass; FormatException in the project's words when it is not one.</summary>
    public static Credential FromPass(string pass)
    {
        string shown = pass.Length > 24 ? pass[..24] + "…" : pass;
        string what = $"'{shown}' is not a SmartKey guest pass ({PassPrefix}… as 'smartkey keys add-guest' prints it, copied whole)";
        if (!pass.StartsWith(PassPrefix, StringComparison.Ordinal)) throw new FormatException(what);
        string b64 = pass[PassPrefix.Length..].Replace('-', '+').Replace('_', '/');
        if (b64.Length % 4 == 1) throw new FormatException(what + ": it is cut short or has a stray character");
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        byte[] bytes = new byte[b64.Length / 4 * 3];
        if (!Convert.TryFromBase64String(b64, bytes, out int length)) throw new FormatException(what + ": it has characters a pass does not");
        bytes = bytes[..length];
        int n = bytes.Length > 0 ? bytes[0] : 0;
        if (n == 0 || bytes.Length != 1 + n + 2 + 32) throw new FormatException(what + ": it is cut short or too long");
        string serial = Encoding.ASCII.GetString(bytes, 1, n);
        if (!LabelText.IsSerial(serial) || bytes[1 + n] == 0 || bytes[2 + n] is not (SmartKey.Firmware.Keys.BindingRole.Owner or SmartKey.Firmware.Keys.BindingRole.Guest))
            throw new FormatException(what + ": its contents are damaged");
        return new Credential(serial, bytes[1 + n], bytes[2 + n], bytes[(3 + n)..]);
    }
}
