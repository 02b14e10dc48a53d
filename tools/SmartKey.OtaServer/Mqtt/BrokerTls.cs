using System;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace SmartKey.OtaServer.Mqtt;

/// <summary>
/// The server's identity on the fleet's broker (deploy/mosquitto: TLS, client certificates required; on the
/// backend listener the certificate's subject is the ACL user and the client id): the operator CA that signed the
/// broker, and this replica's own certificate (e.g. CN smartkey-ota-server-1) with its private key. The broker
/// must chain to that CA alone.
/// </summary>
public sealed class BrokerTls : IDisposable
{
    private BrokerTls(X509Certificate2 brokerCa, X509Certificate2 client)
    {
        BrokerCa = brokerCa;
        Client = client;
    }

    public X509Certificate2 BrokerCa { get; }

    public X509Certificate2 Client { get; }

    /// <summary>Reads the three files (certificates PEM or DER, key PEM); a missing or unreadable file names itself.</summary>
    public static BrokerTls Load(string brokerCaFile, string certificateFile, string keyFile)
    {
        var ca = LoadCertificate(brokerCaFile);
        var certificate = LoadCertificate(certificateFile);
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(Read(keyFile));
        }
        catch (ArgumentException e)
        {
            throw new CryptographicException(keyFile + " holds no PEM EC private key: " + e.Message, e);
        }

        using var bound = certificate.CopyWithPrivateKey(key);
        // Through PKCS#12 so that SslStream can present the key on every platform.
        var client = X509CertificateLoader.LoadPkcs12(bound.Export(X509ContentType.Pkcs12), null);
        certificate.Dispose();
        return new BrokerTls(ca, client);
    }

    public void Apply(MqttClientOptionsBuilder builder, string host)
    {
        builder.WithTlsOptions(tls => tls.UseTls()
            .WithTargetHost(host)
            .WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
            .WithClientCertificates(new[] { Client })
            .WithCertificateValidationHandler(e => AcceptsBroker(e.Certificate, e.SslPolicyErrors)));
    }

    public bool AcceptsBroker(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented == null) return false;
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(BrokerCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        BrokerCa.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 LoadCertificate(string path)
    {
        string text = Read(path);
        try
        {
            return text.Contains("-----BEGIN CERTIFICATE-----")
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(File.ReadAllBytes(path));
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException(path + " holds no certificate: " + e.Message, e);
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException("cannot read " + path + ": " + e.Message, e);
        }
    }
}
