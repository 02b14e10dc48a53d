using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.Logging;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Rollouts;

namespace SmartKey.OtaServer.Tests.Fixtures;

/// <summary>
/// One test's world: a broker, the server (API on a free port, MQTT link, manual clock, driver run only when
/// the test says Tick) on SQLite or PostgreSQL, a sniffer on the broker, and a temporary directory.
/// </summary>
public sealed class ServerLab : IDisposable
{
    public const string Creator = "alice";
    public const string Approver = "bob";

    public ServerLab(Backend backend, Action<ServerOptions>? configure = null)
    {
        Backend = backend;
        Directory = Path.Combine(Path.GetTempPath(), "smartkey-ota-server-test-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        Broker = new Broker();
        Sniffer = new Sniffer(Broker);
        Options = new ServerOptions
        {
            Database = backend.NewDatabase(Directory),
            DataDirectory = Path.Combine(Directory, "data"),
            TrustKeys = new List<string> { TestKeys.VendorPoint },
            MqttHost = Broker.Host,
            MqttPort = Broker.Port,
            MqttClientId = "ota-server-test",
            Urls = "http://127.0.0.1:0",
            DriverIntervalSeconds = 0,
            Clock = Clock,
            Logging = b => b.AddProvider(Logs),
        };
        configure?.Invoke(Options);
        Start();
    }

    public Backend Backend { get; }
    public string Directory { get; }
    public Broker Broker { get; }
    public Sniffer Sniffer { get; }
    public ManualClock Clock { get; } = new();

    /// <summary>What the server logged (warnings and above unless the test lowers the level in Options.Logging).</summary>
    public LogCapture Logs { get; } = new();
    public ServerOptions Options { get; }
    public OtaServerHost Host { get; private set; } = null!;
    public OtaServerCore Core => Host.Core;

    public void Start()
    {
        Sniffer.Fence();
        _serverBoundAtStart = Sniffer.ServerBound(Options.TopicPrefix);       // Handled counts from this process's start
        Host = OtaServerHost.StartAsync(Options).GetAwaiter().GetResult();
    }

    /// <summary>Stops the whole server process state and starts a new one on the same database and image directory.</summary>
    public void Restart()
    {
        Host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Start();
    }

    private readonly Dictionary<string, (string roles, string token)> _tokens = new();

    /// <summary>
    /// A local account's token for this server (made once per name): with no roles given, the account holds every role,
    /// for tests about something other than roles.
    /// </summary>
    public string Token(string actor = Creator, params string[] roles)
    {
        string[] held = roles.Length == 0 ? Auth.Roles.All : roles;
        string key = string.Join(",", held);
        lock (_tokens)
        {
            if (_tokens.TryGetValue(actor, out var known))
            {
                if (known.roles == key) return known.token;
                Core.Accounts.Revoke(actor, "test");
            }

            string token = Core.Accounts.Add(actor, held, 3650, "test");
            _tokens[actor] = (key, token);
            return token;
        }
    }

    /// <summary>An API client authenticated as the actor's local account (see Token).</summary>
    public HttpClient Http(string actor = Creator, params string[] roles) => OperatorTokens.Client(Host.BaseAddress, Token(actor, roles));

    public void Admit(IEnumerable<string> serials) =>
        Core.Devices.Admit(ManufacturingRecord.Parse("[" + string.Join(",", serials.Select(s => TestKeys.Record(s))) + "]", "test"), Creator);

    public string AddRelease(byte[] image)
    {
        var result = Core.Releases.Add(image, Creator);
        if (result.Release == null) throw new InvalidOperationException("release refused: " + result.Refusal);
        return result.Release.Id;
    }

    /// <summary>Created by alice, approved by bob, started.</summary>
    public long StartRollout(RolloutRequest request)
    {
        var r = Core.Rollouts.Create(request, Creator);
        Core.Rollouts.Approve(r.Id, Approver);
        Core.Rollouts.Start(r.Id, Approver);
        return r.Id;
    }

    /// <summary>One driver run; the offers it published (each acknowledged by the broker) have reached the sniffer on return.</summary>
    public void Tick()
    {
        Core.Driver.Tick();
        Sniffer.Fence();
    }

    /// <summary>
    /// Waits until the server has handled every message sent to it so far, by the test or by the simulated locks:
    /// the sniffer's fence returns once the broker has routed everything sent before it (to the server too), and the
    /// sniffer's copies on the server's topics count them. A condition, not a quiet spell: a busy machine only waits longer.
    /// </summary>
    public void WaitQuiet(int timeoutMs = 120_000)
    {
        Sniffer.Fence();
        long due = Sniffer.ServerBound(Options.TopicPrefix) - _serverBoundAtStart;
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (Host.Link.Handled < due)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server handled {Host.Link.Handled} of the {due} messages sent to it");
            Thread.Sleep(20);
        }
    }

    private long _serverBoundAtStart;

    /// <summary>Publishes as if from a lock (on a topic the server subscribes to).</summary>
    public void Publish(string serial, string leaf, byte[] payload)
    {
        if (!Sniffer.Publish($"{Options.TopicPrefix}/{serial}/{leaf}", payload)) throw new InvalidOperationException("the broker did not take the message");
    }

    public void Dispose()
    {
        try
        {
            Host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("SMARTKEY_TEST_LOGS") is { Length: > 0 } keep)
                File.WriteAllLines(Path.Combine(keep, Path.GetFileName(Directory) + ".log"), Logs.Lines);
            Sniffer.Dispose();
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
