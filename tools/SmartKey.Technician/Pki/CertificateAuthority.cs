using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmartKey.Technician.Pki;

/// <summary>
/// A P-256 certificate authority on .NET's in-box APIs: the factory's manufacturing CA (it signs each lock's
/// client certificate) or, in tests, the operator's CA that signs the broker and backend services. Its folder
/// holds ca.cert.pem, ca.key.pem (owner-only) and crl.pem, the revocation list the broker loads.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    public const string CertificateFile = "ca.cert.pem";
    public const string KeyFile = "ca.key.pem";
    public const string RevocationFile = "crl.pem";
    public static readonly TimeSpan RevocationListLifetime = TimeSpan.FromDays(90);

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>The CA's certificate (public part; what brokers and locks trust).</summary>
    public X509Certificate2 Certificate { get; }

    private ECDsa Key { get; }

    public static CertificateAuthority Create(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + commonName + ", O=SmartKey"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var self = request.CreateSelfSigned(notBefore, notAfter);
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(self.RawData), key);
    }

    /// <summary>Reads a CA folder written by Save; a missing or foreign file throws IOException or CryptographicException.</summary>
    public static CertificateAuthority Load(string folder)
    {
        string certificatePath = Path.Combine(folder, CertificateFile), keyPath = Path.Combine(folder, KeyFile);
        foreach (string path in new[] { certificatePath, keyPath })
            if (!File.Exists(path)) throw new IOException(path + " does not exist: make the CA with 'smartkey-tech ca init --out " + folder + "'");
        var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new CryptographicException(keyPath + " holds no PEM private key: " + e.Message, e);
        }

        using var probe = certificate.GetECDsaPublicKey();
        if (probe == null || key.KeySize != 256 || !probe.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            throw new CryptographicException(keyPath + " is not the private key of " + certificatePath + " (a P-256 key)");
        }

        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(certificate.RawData), key);
    }

    /// <summary>Writes the CA's three files; refuses a folder that already holds a CA (a CA is made once).</summary>
    public IReadOnlyList<string> Save(string folder)
    {
        OwnerOnlyFiles.CreateFolder(folder);                 // 0700: it holds the CA's private key
        var files = new (string Name, string Text)[]
        {
            (CertificateFile, Certificate.ExportCertificatePem() + "\n"),
            (KeyFile, Key.ExportPkcs8PrivateKeyPem() + "\n"),
            (RevocationFile, RevocationListPem(Array.Empty<X509Certificate2>(), BigInteger.One, DateTimeOffset.UtcNow)),
        };
        foreach (var (name, _) in files)
            if (File.Exists(Path.Combine(folder, name))) throw new IOException(Path.Combine(folder, name) + " exists: a CA is made once (rotate by making a new one in another folder)");
        var written = new List<string>();
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(folder, name);
            if (name == KeyFile) OwnerOnlyFiles.Write(path, System.Text.Encoding.UTF8.GetBytes(text));
            else File.WriteAllText(path, text);

            written.Add(path);
        }

        return written;
    }

    /// <summary>A client certificate (TLS client authentication) with subject CN = commonName and a fresh P-256 key.</summary>
    public IssuedCertificate IssueClient(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        Issue(commonName, ClientAuth, null, notBefore, notAfter);

    /// <summary>A server certificate for a broker reached by these names and addresses.</summary>
    public IssuedCertificate IssueServer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (string dns in dnsNames) names.AddDnsName(dns);
        foreach (var address in addresses) names.AddIpAddress(address);
        return Issue(commonName, ServerAuth, names.Build(), notBefore, notAfter);
    }

    /// <summary>
    /// The CA's revocation list (PEM) naming these certificates, valid until now + RevocationListLifetime:
    /// the broker refuses every client of this CA once it expires, so it is re-signed before then.
    /// </summary>
    public string RevocationListPem(IEnumerable<X509Certificate2> revoked, BigInteger number, DateTimeOffset now)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked) builder.AddEntry(certificate, now, X509RevocationReason.KeyCompromise);
        return Sign(builder, number, now);
    }

    /// <summary>Adds certificates to the CRL in the folder (or only re-signs it when none is given) and writes it back.</summary>
    public string Revoke(string folder, IEnumerable<X509Certificate2> certificates, DateTimeOffset now)
    {
        string path = Path.Combine(folder, RevocationFile);
        var builder = new CertificateRevocationListBuilder();
        BigInteger next = BigInteger.One;
        if (File.Exists(path))
        {
            builder = CertificateRevocationListBuilder.LoadPem(File.ReadAllText(path), out BigInteger current);
            next = current + 1;
        }

        foreach (var certificate in certificates)
        {
            if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(Certificate.SubjectName.RawData))
                throw new ArgumentException(certificate.Subject + " was not issued by " + Certificate.Subject);
            builder.RemoveEntry(certificate.SerialNumberBytes.Span);
            builder.AddEntry(certificate, now, X509RevocationReason.KeyCompromise);
        }

        string pem = Sign(builder, next, now);
        string temporary = path + ".new";
        File.WriteAllText(temporary, pem);
        File.Move(temporary, path, overwrite: true);        // the broker never reads half a list
        return path;
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }

    private string Sign(CertificateRevocationListBuilder builder, BigInteger number, DateTimeOffset now)
    {
        using var signer = Certificate.CopyWithPrivateKey(Key);
        byte[] der = builder.Build(signer, number, now + RevocationListLifetime, HashAlgorithmName.SHA256, null, now.AddMinutes(-5));
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }

    private IssuedCertificate Issue(string commonName, string usage, X509Extension? alternativeNames, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(usage) }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (alternativeNames != null) request.CertificateExtensions.Add(alternativeNames);
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;      // a positive serial number
        serial[0] |= 0x01;
        using var signer = Certificate.CopyWithPrivateKey(Key);
        using var issued = request.Create(signer, notBefore, notAfter, serial);
        return new IssuedCertificate(X509CertificateLoader.LoadCertificate(issued.RawData), key);
    }
}
