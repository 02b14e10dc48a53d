using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using SmartKey.Hal.Simulated.Mqtt;
using SmartKey.Ota;
using SmartKey.Technician.Pki;

namespace SmartKey.Tests.Telemetry;

/// <summary>
/// The certificates of a broker test, made at fixture start with the technician's CA code (in-box .NET
/// APIs): the operator CA (signs the broker and the OTA server's client certificate), the manufacturing CA
/// (signs locks, CN = serial) and a stranger CA nobody trusts. Writes the broker's files into a folder.
/// </summary>
public sealed class BrokerPki : IDisposable
{
    private readonly List<X509Certificate2> _revoked = new();
    private readonly List<IDisposable> _owned = new();
    private BigInteger _crlNumber = 1;

    public BrokerPki()
    {
        var now = DateTimeOffset.UtcNow;
        Folder = Directory.CreateTempSubdirectory("smartkey-broker-").FullName;
        Operator = Own(CertificateAuthority.Create("SmartKey Test Operator CA", now.AddYears(-1), now.AddYears(30)));
        Manufacturing = Own(CertificateAuthority.Create("SmartKey Test Manufacturing CA", now.AddYears(-1), now.AddYears(30)));
        Stranger = Own(CertificateAuthority.Create("Stranger CA", now.AddYears(-1), now.AddYears(30)));
        Broker = Own(Operator.IssueServer("smartkey-broker", new[] { "localhost" }, new[] { IPAddress.Loopback }, now.AddDays(-1), now.AddYears(1)));
        File.WriteAllText(Path.Combine(Folder, "broker.crt"), Broker.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(Folder, "broker.key"), Broker.PrivateKeyPem + "\n");
        // One trust domain per listener: the locks' CA and ACL, the backend's CA and ACL.
        File.WriteAllText(Path.Combine(Folder, "locks-ca.pem"), Manufacturing.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(Folder, "operator-ca.pem"), Operator.Certificate.ExportCertificatePem() + "\n");
        foreach (string acl in new[] { "locks.acl", "backend.acl" })
            File.Copy(Path.Combine(RepoPaths.Root, "deploy", "mosquitto", acl), Path.Combine(Folder, acl));
        WriteRevocationLists();
    }

    public string Folder { get; }

    public CertificateAuthority Operator { get; }

    public CertificateAuthority Manufacturing { get; }

    public CertificateAuthority Stranger { get; }

    public IssuedCertificate Broker { get; }

    /// <summary>A lock's identity from the manufacturing CA (or the given CA), valid from notBefore to notAfter (default: now ± a year).</summary>
    public IssuedCertificate Lock(string serial, CertificateAuthority? by = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var now = DateTimeOffset.UtcNow;
        return Own((by ?? Manufacturing).IssueClient(serial, notBefore ?? now.AddDays(-1), notAfter ?? now.AddYears(1)));
    }

    /// <summary>
    /// An OTA server's identity from the operator CA: CN smartkey-ota-server, or smartkey-ota-server-&lt;replica&gt;. The
    /// backend listener makes the subject the client id, so two clients at once need two certificates.
    /// </summary>
    public IssuedCertificate OtaServer(string? replica = null) =>
        Own(Operator.IssueClient(replica == null ? MqttOtaServer.Identity : MqttOtaServer.Identity + "-" + replica, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));

    /// <summary>How a holder of this identity reaches the broker on the port (TLS, trusting the operator CA).</summary>
    public BrokerEndpoint Endpoint(int port, IssuedCertificate? identity) =>
        new(IPAddress.Loopback.ToString(), port, Operator.Certificate, identity == null ? null : BrokerEndpoint.WithKey(identity.Certificate, identity.Key));

    /// <summary>Puts a lock's certificate on the manufacturing CA's revocation list (the broker reads it at start or SIGHUP).</summary>
    public void Revoke(IssuedCertificate certificate)
    {
        _revoked.Add(certificate.Certificate);
        WriteRevocationLists();
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        Directory.Delete(Folder, true);
    }

    /// <summary>mosquitto checks every client against its issuer's CRL: each listener has its CA's list.</summary>
    private void WriteRevocationLists()
    {
        var now = DateTimeOffset.UtcNow;
        _crlNumber++;
        File.WriteAllText(Path.Combine(Folder, "locks-revoked.crl.pem"), Manufacturing.RevocationListPem(_revoked, _crlNumber, now));
        File.WriteAllText(Path.Combine(Folder, "operator-revoked.crl.pem"), Operator.RevocationListPem(Array.Empty<X509Certificate2>(), _crlNumber, now));
    }

    private T Own<T>(T d) where T : IDisposable
    {
        _owned.Add(d);
        return d;
    }
}
