using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using SmartKey.Ota;

namespace SmartKey.OtaServer.Releases;

/// <summary>The OTA trust keys the server checks uploads against: public points only, never a signing key.</summary>
public static class TrustKeys
{
    /// <summary>Each entry is a 65-byte uncompressed point in hex, or the path of a public-key PEM file.</summary>
    public static byte[][] Load(IEnumerable<string> entries)
    {
        var keys = new List<byte[]>();
        foreach (string entry in entries)
        {
            string e = entry.Trim();
            if (e.Length == 130 && IsHex(e))
            {
                keys.Add(Convert.FromHexString(e));
                continue;
            }

            string pem = File.ReadAllText(e);
            if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
                throw new ArgumentException($"{e} holds a private key: the OTA server takes public keys only");
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (key.KeySize != 256) throw new ArgumentException($"{e} is not a P-256 key");
            keys.Add(ImageSigner.PublicPoint(key));
        }

        return keys.ToArray();
    }

    private static bool IsHex(string s)
    {
        foreach (char c in s) if (!Uri.IsHexDigit(c)) return false;
        return true;
    }
}
