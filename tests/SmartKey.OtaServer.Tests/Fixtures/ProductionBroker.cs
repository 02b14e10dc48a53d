using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Threading;
using SmartKey.Hal.Simulated.Mqtt;
using SmartKey.Technician.Pki;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>
/// mosquitto running the repository's production configuration (deploy/mosquitto: TLS, client certificates
/// required, CN as user name, per-lock ACLs) on a free loopback port, with certificates made at start: the
/// operator CA (broker and OTA server) and the manufacturing CA (locks, CN = serial).
/// </summary>
public sealed class ProductionBroker : IDisposable
{
    private readonly Process _process;

    public ProductionBroker()
    {
        var now = DateTimeOffset.UtcNow;
        Folder = Directory.CreateTempSubdirectory("smartkey-ota-server-tls-").FullName;
        Operator = CertificateAuthority.Create("Test Operator CA", now.AddYears(-1), now.AddYears(10));
        Manufacturing = CertificateAuthority.Create("Test Manufacturing CA", now.AddYears(-1), now.AddYears(10));
        using var broker = Operator.IssueServer("smartkey-broker", new[] { "localhost" }, new[] { IPAddress.Loopback }, now.AddDays(-1), now.AddYears(1));
        File.WriteAllText(Path.Combine(Folder, "broker.crt"), broker.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(Folder, "broker.key"), broker.PrivateKeyPem + "\n");
        File.WriteAllText(Path.Combine(Folder, "locks-ca.pem"), Manufacturing.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(Folder, "operator-ca.pem"), Operator.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(Folder, "locks-revoked.crl.pem"), Manufacturing.RevocationListPem(Array.Empty<X509Certificate2>(), BigInteger.One, now));
        File.WriteAllText(Path.Combine(Folder, "operator-revoked.crl.pem"), Operator.RevocationListPem(Array.Empty<X509Certificate2>(), BigInteger.One, now));
        string deploy = Path.Combine(RepoRoot(), "deploy", "mosquitto");
        foreach (string acl in new[] { "locks.acl", "backend.acl" }) File.Copy(Path.Combine(deploy, acl), Path.Combine(Folder, acl));
        Port = Broker.FreePort();
        BackendPort = Broker.FreePort();
        string config = Path.Combine(Folder, "mosquitto.conf");
        File.WriteAllText(config, Configure(File.ReadAllText(Path.Combine(deploy, "smartkey.conf"))));
        string binary = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefaultFile()
            ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install -y mosquitto (.ci/run does it)");
        _process = Process.Start(new ProcessStartInfo(binary, "-c " + config) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient("127.0.0.1", Port);
                using var backend = new TcpClient("127.0.0.1", BackendPort);
                return;
            }
            catch (SocketException)
            {
                if (DateTime.UtcNow > deadline || _process.HasExited) throw new InvalidOperationException("mosquitto did not start on port " + Port + ": " + _process.StandardError.ReadToEnd());
                Thread.Sleep(50);
            }
        }
    }

    public string Folder { get; }

    /// <summary>The locks' listener (manufacturing CA, deploy/mosquitto/locks.acl).</summary>
    public int Port { get; }

    /// <summary>The backend's listener (operator CA, deploy/mosquitto/backend.acl): where the OTA server connects.</summary>
    public int BackendPort { get; }

    public CertificateAuthority Operator { get; }

    public CertificateAuthority Manufacturing { get; }

    /// <summary>Writes an identity's certificate and key as PEM files (as an operator would give them to the server); returns their paths.</summary>
    public (string certificate, string key) WriteIdentity(IssuedCertificate identity, string name)
    {
        string cert = Path.Combine(Folder, name + ".crt"), key = Path.Combine(Folder, name + ".key");
        File.WriteAllText(cert, identity.Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(key, identity.PrivateKeyPem + "\n");
        return (cert, key);
    }

    public string WriteOperatorCa()
    {
        string path = Path.Combine(Folder, "operator-ca.pem");
        File.WriteAllText(path, Operator.Certificate.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>How a lock with this identity reaches the broker.</summary>
    public BrokerEndpoint LockEndpoint(IssuedCertificate identity) =>
        new("127.0.0.1", Port, Operator.Certificate, BrokerEndpoint.WithKey(identity.Certificate, identity.Key));

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        Operator.Dispose();
        Manufacturing.Dispose();
        Directory.Delete(Folder, true);
    }

    /// <summary>The shipped file with this test's ports, folder and user, without persistence.</summary>
    private string Configure(string shipped)
    {
        string text = Regex.Replace(shipped, @"^listener 8883 127\.0\.0\.1$", "listener " + Port + " 127.0.0.1", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^listener 8884 127\.0\.0\.1$", "listener " + BackendPort + " 127.0.0.1", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^persistence true$", "persistence false", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^persistence_location .*$", "", RegexOptions.Multiline);
        text = text.Replace("/etc/mosquitto/smartkey/", Folder.TrimEnd('/') + "/");
        if (!text.Contains("listener " + Port + " ") || !text.Contains("listener " + BackendPort + " ") || text.Contains("/etc/mosquitto/smartkey/")) throw new InvalidOperationException("deploy/mosquitto/smartkey.conf changed shape");
        return text + "\nuser " + Environment.UserName + "\n";
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SmartKey.sln"))) return dir.FullName;
        throw new InvalidOperationException("SmartKey.sln not found above " + AppContext.BaseDirectory);
    }
}
