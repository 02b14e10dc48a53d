using System;
using System.Security.Cryptography;
using System.Linq;
using System.Text;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Crypto.P256;

namespace SmartKey.Phone;

/// <summary>
/// The label's setup code and what is derived from it (RFC 9383 leaves the password hash to the
/// application): w0s || w1s = PBKDF2-HMAC-SHA256(code, salt = "SmartKey setup v1 " + serial, 20,000
/// iterations, 80 bytes); w0 = w0s mod n, w1 = w1s mod n. The phone keeps (w0, w1) for pairing; the
/// technician provisions (w0, L = w1·G) into the device, which never sees the code.
/// </summary>
public static class SetupCode
{
    public const int Iterations = 20_000;
    public const int MinimumDigits = 8;

    public static string Generate(int digits = 10)
    {
        if (digits < MinimumDigits) throw new ArgumentOutOfRangeException(nameof(digits), "setup codes have at least 8 digits");
        var sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) sb.Append((char)('0' + RandomNumberGenerator.GetInt32(10)));
        // All-same and sequential codes are the first an attacker tries: draw again.
        string code = sb.ToString();
        return IsWeak(code) ? Generate(digits) : code;
    }

    public static bool IsWellFormed(string code) => code.Length >= MinimumDigits && code.Length <= 32 && code.All(char.IsAsciiDigit);

    public static bool IsWeak(string code) =>
        code.Distinct().Count() == 1 || "01234567890123456789".Contains(code) || "98765432109876543210".Contains(code);

    public static (byte[] w0, byte[] w1) Derive(string code, string serial)
    {
        if (!IsWellFormed(code)) throw new ArgumentException("a setup code is 8 to 32 digits", nameof(code));
        byte[] output = Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(code), Encoding.ASCII.GetBytes("SmartKey setup v1 " + serial), Iterations, HashAlgorithmName.SHA256, 80);
        var scalar = new Scalar();
        var w0 = new uint[8];
        var w1 = new uint[8];
        scalar.ReduceWide(output, 0, 40, w0);
        scalar.ReduceWide(output, 40, 40, w1);
        var w0Bytes = new byte[32];
        var w1Bytes = new byte[32];
        Scalar.Encode(w0, w0Bytes, 0);
        Scalar.Encode(w1, w1Bytes, 0);
        return (w0Bytes, w1Bytes);
    }

    /// <summary>The device's verifier record for this code: (w0, L).</summary>
    public static (byte[] w0, byte[] l) Verifier(string code, string serial)
    {
        var (w0, w1) = Derive(code, serial);
        return (w0, new Spake2PlusProver(w0, w1).ComputeL());
    }
}
