using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmartKey.Technician.Pki;

/// <summary>A certificate a CA issued and the private key it was issued for (the key exists only here and on its holder).</summary>
public sealed class IssuedCertificate : IDisposable
{
    internal IssuedCertificate(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Certificate { get; }

    public ECDsa Key { get; }

    public byte[] CertificateDer => Certificate.RawData;

    /// <summary>SEC 1 PEM ("EC PRIVATE KEY"), the form mbedTLS on the lock parses.</summary>
    public string PrivateKeyPem => Key.ExportECPrivateKeyPem();

    /// <summary>Lowercase hex SHA-256 of the certificate's DER: the fingerprint the backend admits the device by.</summary>
    public string Sha256 => Convert.ToHexString(SHA256.HashData(CertificateDer)).ToLowerInvariant();

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
