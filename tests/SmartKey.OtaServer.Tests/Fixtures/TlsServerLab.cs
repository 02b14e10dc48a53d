using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Dapper;
using SmartKey.Hal.Simulated.Mqtt;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.Technician.Pki;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>
/// The attack tests' world: mosquitto on the shipped configuration (ProductionBroker: two listeners, their CAs and
/// ACLs), the server as its own operator-CA identity on the backend listener, on SQLite or PostgreSQL, with the
/// wall clock, and locks with their own manufacturing-CA certificates on the locks' listener.
/// </summary>
public sealed class TlsServerLab : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    public TlsServerLab(Backend backend, Action<ServerOptions>? configure = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("smartkey-ota-server-attack-").FullName;
        Options = new ServerOptions
        {
            Database = backend.NewDatabase(Directory), DataDirectory = Path.Combine(Directory, "data"), TrustKeys = new List<string> { TestKeys.VendorPoint },
            MqttHost = "127.0.0.1", MqttPort = Broker.BackendPort, Urls = "http://127.0.0.1:0", DriverIntervalSeconds = 0,
        };
        using var identity = Broker.Operator.IssueClient("smartkey-ota-server", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        (Options.MqttCertificateFile, Options.MqttKeyFile) = Broker.WriteIdentity(identity, "ota-server");
        Options.MqttCaFile = Broker.WriteOperatorCa();
        configure?.Invoke(Options);
        Start();
    }

    public ProductionBroker Broker { get; } = new();
    public string Directory { get; }
    public ServerOptions Options { get; }
    public OtaServerHost Host { get; private set; } = null!;

    public void Start() => Host = OtaServerHost.StartAsync(Options).GetAwaiter().GetResult();

    public void Stop() => Host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    public void Admit(params string[] serials) =>
        Host.Core.Devices.Admit(ManufacturingRecord.Parse("[" + string.Join(",", serials.Select(s => TestKeys.Record(s))) + "]", "test"), ServerLab.Creator);

    /// <summary>A client with a certificate from the given CA (default: the manufacturing CA, a lock) on the locks' listener or the backend's.</summary>
    public MqttConnection Client(string commonName, string clientId, CertificateAuthority? by = null, bool backendListener = false)
    {
        var identity = (by ?? Broker.Manufacturing).IssueClient(commonName, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        _owned.Add(identity);
        var endpoint = new BrokerEndpoint("127.0.0.1", backendListener ? Broker.BackendPort : Broker.Port, Broker.Operator.Certificate, BrokerEndpoint.WithKey(identity.Certificate, identity.Key));
        var client = new MqttConnection(endpoint, clientId, MQTTnet.Formatter.MqttProtocolVersion.V311);
        _owned.Add(client);
        return client;
    }

    /// <summary>A lock on the locks' listener, connected, its certificate naming it.</summary>
    public MqttConnection Lock(string serial)
    {
        var client = Client(serial, serial);
        if (!client.Connect()) throw new InvalidOperationException(serial + " could not connect: " + client.LastConnectError);
        return client;
    }

    public static byte[] Report(string serial, int n, string firmware = "1.0.0") =>
        Encoding.UTF8.GetBytes("{\"serial\":\"" + serial + "\",\"firmware\":\"" + firmware + "\",\"battery\":{\"percent\":" + (n % 101) + ",\"millivolts\":" + (4000 + n % 2000) + ",\"state\":\"ok\"},\"errors\":{\"" + (n / 2000 % 1000) + "\":" + n + "}}");

    public long StoredRows(string serial)
    {
        using var c = Host.Core.Database.Connect();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM telemetry WHERE serial = @serial", new { serial });
    }

    public void Dispose()
    {
        try
        {
            Host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var d in _owned) d.Dispose();
            Broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
