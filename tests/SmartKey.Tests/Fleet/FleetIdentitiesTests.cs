using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmartKey.Simulator.Fleet;
using SmartKey.Technician.Pki;
using Xunit;

namespace SmartKey.Tests.Fleet;

/// <summary>The fleet's broker identities: one certificate per lock, as the factory issues it, read from what an operator has.</summary>
public sealed class FleetIdentitiesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-fleet-ids-").FullName;

    private (string brokerCa, string factory, CertificateAuthority manufacturing) MakeCas()
    {
        var now = DateTimeOffset.UtcNow;
        using var op = CertificateAuthority.Create("Test Operator CA", now.AddHours(-1), now.AddYears(2));
        string brokerCa = Path.Combine(_dir, "operator-ca.pem");
        File.WriteAllText(brokerCa, op.Certificate.ExportCertificatePem() + "\n");
        var manufacturing = CertificateAuthority.Create("Test Manufacturing CA", now.AddMinutes(-5), now.AddYears(2));
        string factory = Path.Combine(_dir, "factory-ca");
        manufacturing.Save(factory);
        return (brokerCa, factory, manufacturing);
    }

    [Fact]
    public void Each_lock_gets_its_own_key_and_a_certificate_naming_it_from_the_manufacturing_ca()
    {
        var (brokerCa, factory, manufacturing) = MakeCas();
        using (manufacturing)
        using (var identities = FleetIdentities.Load(brokerCa, factory))
        {
            var a = identities.For("SK-SIM-000001");
            var b = identities.For("SK-SIM-000002");
            Assert.Same(a, identities.For("SK-SIM-000001"));          // issued once, kept for the run
            Assert.Equal(2, identities.Issued);
            foreach (var (certificate, serial) in new[] { (a, "SK-SIM-000001"), (b, "SK-SIM-000002") })
            {
                Assert.Equal("CN=" + serial, certificate.Subject);
                Assert.True(certificate.HasPrivateKey);
                Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(manufacturing.Certificate);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                Assert.True(chain.Build(certificate), serial + " does not chain to the manufacturing CA");
                // Never outside its CA's validity (the CA here began five minutes ago, not an hour).
                Assert.True(certificate.NotBefore >= manufacturing.Certificate.NotBefore);
            }

            Assert.NotEqual(a.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), b.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo());
            Assert.True(identities.IssueTime > TimeSpan.Zero);
        }
    }

    [Fact]
    public void Missing_or_foreign_files_are_refused_naming_the_file()
    {
        var (brokerCa, factory, manufacturing) = MakeCas();
        manufacturing.Dispose();
        string missing = Path.Combine(_dir, "no-such-ca.pem");
        Assert.Contains(missing, Assert.Throws<IOException>(() => FleetIdentities.Load(missing, factory)).Message);
        string junk = Path.Combine(_dir, "junk.pem");
        File.WriteAllText(junk, "not a certificate");
        Assert.Contains(junk, Assert.Throws<CryptographicException>(() => FleetIdentities.Load(junk, factory)).Message);
        Assert.Contains("ca init", Assert.Throws<IOException>(() => FleetIdentities.Load(brokerCa, _dir)).Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
