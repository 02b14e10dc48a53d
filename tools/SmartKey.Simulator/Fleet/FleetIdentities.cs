using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using MQTTnet;
using SmartKey.Technician.Pki;

namespace SmartKey.Simulator.Fleet;

/// <summary>
/// The fleet's broker identities, as the factory makes them: every virtual lock gets its own P-256 key and a
/// client certificate with CN = its serial, signed by the manufacturing CA (the same CertificateAuthority.IssueClient
/// that `smartkey-tech provision` uses), and connects over TLS presenting it, so the broker's ACL
/// (deploy/mosquitto/locks.acl on the locks' listener, user = client id = CN) applies to each lock on its own. A certificate is issued at the
/// lock's first connection (or all at once by IssueAll) and kept for the run; the key never leaves the process.
/// </summary>
public sealed class FleetIdentities : IDisposable
{
    private readonly CertificateAuthority _manufacturing;
    private readonly ConcurrentDictionary<string, Lazy<X509Certificate2>> _issued = new();
    private readonly object _signing = new();
    private long _issueTicks;

    public FleetIdentities(X509Certificate2 brokerCa, CertificateAuthority manufacturing)
    {
        BrokerCa = brokerCa;
        _manufacturing = manufacturing;
    }

    /// <summary>The CA the broker's certificate must chain to (alone: no system roots).</summary>
    public X509Certificate2 BrokerCa { get; }

    /// <summary>Certificates issued so far, and the wall time spent issuing them (key, certificate, binding).</summary>
    public int Issued => _issued.Count;

    public TimeSpan IssueTime => TimeSpan.FromTicks(Interlocked.Read(ref _issueTicks));

    /// <summary>
    /// Reads the broker's CA (PEM or DER) and the manufacturing CA's folder (`smartkey-tech ca init`: ca.cert.pem,
    /// ca.key.pem). A missing or foreign file throws IOException or CryptographicException naming it.
    /// </summary>
    public static FleetIdentities Load(string brokerCaFile, string manufacturingCaFolder)
    {
        X509Certificate2 ca;
        try
        {
            byte[] bytes = File.ReadAllBytes(brokerCaFile);
            string text = System.Text.Encoding.ASCII.GetString(bytes);
            ca = text.Contains("-----BEGIN CERTIFICATE-----") ? X509Certificate2.CreateFromPem(text) : X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException("cannot read " + brokerCaFile + ": " + e.Message, e);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException(brokerCaFile + " holds no certificate: " + e.Message, e);
        }

        return new FleetIdentities(ca, CertificateAuthority.Load(manufacturingCaFolder));
    }

    /// <summary>The lock's certificate with its private key, issued on first use.</summary>
    public X509Certificate2 For(string serial) =>
        _issued.GetOrAdd(serial, s => new Lazy<X509Certificate2>(() => Issue(s), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Issues every lock's certificate now (so that a run's windows do not pay for it).</summary>
    public void IssueAll(IEnumerable<string> serials)
    {
        foreach (string serial in serials) For(serial);
    }

    /// <summary>TLS 1.2+ to the broker at host, presenting the lock's own certificate.</summary>
    public void Apply(MqttClientOptionsBuilder builder, string host, string serial)
    {
        var certificate = For(serial);
        builder.WithTlsOptions(tls => tls.UseTls()
            .WithTargetHost(host)
            .WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
            .WithClientCertificates(new[] { certificate })
            .WithCertificateValidationHandler(e => AcceptsBroker(e.Certificate, e.SslPolicyErrors)));
    }

    public bool AcceptsBroker(X509Certificate? presented, SslPolicyErrors errors) => SmartKey.Hal.Simulated.Mqtt.BrokerEndpoint.ChainsTo(BrokerCa, presented, errors);

    public void Dispose()
    {
        foreach (var entry in _issued.Values)
            if (entry.IsValueCreated) entry.Value.Dispose();
        _manufacturing.Dispose();
        BrokerCa.Dispose();
    }

    private X509Certificate2 Issue(string serial)
    {
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        // As ProvisioningKit: valid from an hour ago (clock skew), never outside its CA's validity.
        DateTimeOffset ca0 = _manufacturing.Certificate.NotBefore.ToUniversalTime(), ca1 = _manufacturing.Certificate.NotAfter.ToUniversalTime();
        DateTimeOffset from = now.AddHours(-1) < ca0 ? ca0 : now.AddHours(-1), until = now.AddYears(1) > ca1 ? ca1 : now.AddYears(1);
        IssuedCertificate issued;
        lock (_signing) issued = _manufacturing.IssueClient(serial, from, until);
        using (issued)
        {
            // OpenSSL (Linux, macOS) presents a certificate bound to an ephemeral key as it is; Windows' SChannel
            // needs the key in a key store, which the PKCS#12 round trip gives it (at ~10× the cost).
            var bound = issued.Certificate.CopyWithPrivateKey(issued.Key);
            if (OperatingSystem.IsWindows())
            {
                var ephemeral = bound;
                bound = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
                ephemeral.Dispose();
            }

            Interlocked.Add(ref _issueTicks, watch.Elapsed.Ticks);
            return bound;
        }
    }
}
