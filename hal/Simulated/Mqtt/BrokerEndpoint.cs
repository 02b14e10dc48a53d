using System;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmartKey.Hal.Simulated.Mqtt;

/// <summary>
/// Where a host MQTT client connects and as whom: the broker's address, the CA that must have signed the
/// broker's certificate (TLS on when given) and the client's own certificate with its private key. Plain TCP
/// (no CA) is only for a developer's local broker (the demo's 127.0.0.1:1883).
/// </summary>
public sealed class BrokerEndpoint
{
    public BrokerEndpoint(string host, int port, X509Certificate2? brokerCa = null, X509Certificate2? clientCertificate = null)
    {
        if (clientCertificate != null && !clientCertificate.HasPrivateKey)
            throw new ArgumentException("the client certificate needs its private key", nameof(clientCertificate));
        Host = host;
        Port = port;
        BrokerCa = brokerCa;
        ClientCertificate = clientCertificate;
    }

    public string Host { get; }

    public int Port { get; }

    public X509Certificate2? BrokerCa { get; }

    public X509Certificate2? ClientCertificate { get; }

    public bool Tls => BrokerCa != null;

    /// <summary>
    /// What a lock reads from its drive: the broker's CA (DER), its client certificate (DER) and its private
    /// key (PEM). A missing or unreadable file throws IOException or CryptographicException naming the file.
    /// </summary>
    public static BrokerEndpoint FromLockFiles(string host, int port, string brokerCaDerPath, string clientCertificateDerPath, string clientKeyPemPath)
    {
        var ca = X509CertificateLoader.LoadCertificate(ReadFile(brokerCaDerPath));
        var certificate = X509CertificateLoader.LoadCertificate(ReadFile(clientCertificateDerPath));
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(clientKeyPemPath));
        }
        catch (ArgumentException e)
        {
            throw new CryptographicException(clientKeyPemPath + " holds no PEM private key: " + e.Message, e);
        }

        return new BrokerEndpoint(host, port, ca, WithKey(certificate, key));
    }

    /// <summary>The certificate bound to its key in a form SslStream can present on every platform.</summary>
    public static X509Certificate2 WithKey(X509Certificate2 certificate, ECDsa key)
    {
        using var bound = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(bound.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The broker's certificate must chain to BrokerCa alone (no system roots) and name the host.</summary>
    internal bool AcceptsBroker(X509Certificate? presented, SslPolicyErrors errors) => BrokerCa != null && ChainsTo(BrokerCa, presented, errors);

    /// <summary>A broker certificate that names the host and chains to brokerCa alone (no system roots).</summary>
    public static bool ChainsTo(X509Certificate2 brokerCa, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented == null) return false;
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(brokerCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(leaf);
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException("cannot read " + path + ": " + e.Message, e);
        }
    }
}
