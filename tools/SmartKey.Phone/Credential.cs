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

    public static Credential FromPass(string pass)
    {
        if (!pass.StartsWith(PassPrefix, StringComparison.Ordinal)) throw new FormatException("not a SmartKey guest pass");
        string b64 = pass[PassPrefix.Length..].Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        byte[] bytes = Convert.FromBase64String(b64);
        int n = bytes.Length > 0 ? bytes[0] : 0;
        if (n == 0 || bytes.Length != 1 + n + 2 + 32) throw new FormatException("guest pass has the wrong length");
        return new Credential(Encoding.ASCII.GetString(bytes, 1, n), bytes[1 + n], bytes[2 + n], bytes[(3 + n)..]);
    }
}
