using System;
using System.IO;
using System.Security.Cryptography;

namespace SmartKey.Ota;

/// <summary>P-256 keys in PEM files (PKCS#8 private or SubjectPublicKeyInfo public), with errors a person can act on.</summary>
public static class KeyFiles
{
    public static ECDsa Load(string path, bool requirePrivate)
    {
        string pem = File.ReadAllText(path);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException)
        {
            key.Dispose();
            throw new FormatException($"{path} holds no PEM EC key");
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new FormatException($"{path} is not a P-256 key");
        }

        if (requirePrivate && !HoldsPrivate(pem))
        {
            key.Dispose();
            throw new FormatException($"{path} is a public key; signing needs the private key");
        }

        return key;
    }

    /// <summary>True when the PEM file holds a private key (PKCS#8, SEC1 "EC PRIVATE KEY" or an encrypted one), whatever else it holds.</summary>
    public static bool HoldsPrivateKey(string path) => HoldsPrivate(File.ReadAllText(path));

    private static bool HoldsPrivate(string pem) => pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
}
