using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal.Simulated;
using SmartKey.Hal.Simulated.Mqtt;
using SmartKey.Ota;
using SmartKey.Phone;
using SmartKey.Simulator;
using SmartKey.Tests.Ota;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Telemetry;

/// <summary>
/// What leaves the lock, checked on the wire of a real broker running the production configuration (TLS,
/// client certificates, ACLs): a raw subscriber with the backend's identity records every message it may
/// read while a simulated lock, provisioned with its kit's broker identity, lives a full life. Only the
/// allowed topics and keys may appear, and no key, log entry, unlock time, phone identifier, setup code or
/// verifier — in any encoding.
/// </summary>
public sealed class PrivacyTests : IDisposable
{
    private const string Serial = "SK-PRIV-0042";
    private const string Code = "8675309123";
    private static readonly string[] BackendTopics = { "smartkey/v1/+/telemetry", "smartkey/v1/+/ota/status", "smartkey/v1/+/ota/chunk/request" };
    private readonly BrokerPki _pki = new();
    private readonly Mosquitto _broker;
    private readonly SmartKey.Technician.Pki.IssuedCertificate _backend;
    private readonly MqttConnection _sniffer;
    private readonly ConcurrentQueue<(string topic, byte[] payload)> _wire = new();
    private readonly string _kit = Path.Combine(Path.GetTempPath(), "smartkey-privacy-kit-" + Guid.NewGuid().ToString("N"));

    public PrivacyTests()
    {
        _broker = new Mosquitto(_pki);
        _backend = _pki.OtaServer();
        _sniffer = new MqttConnection(_pki.Endpoint(_broker.BackendPort, _backend), "privacy-sniffer");
        _sniffer.MessageReceived += (t, p, _, _) => _wire.Enqueue((t, p));
        Assert.True(_sniffer.Connect(), _sniffer.LastConnectError);
        SubscribeSniffer();
    }

    /// <summary>Everything the backend's identity may read: all that leaves any lock.</summary>
    private void SubscribeSniffer()
    {
        foreach (string filter in BackendTopics) Assert.True(_sniffer.Subscribe(filter, 1), filter);
    }

    /// <summary>Provisioned from its technician kit: the service line on the console, the broker identity read from the kit's files as the ESP32 app reads them from I:.</summary>
    private SimulatedDevice NewLock()
    {
        var config = EmbeddedConfig.Load();
        config.MqttHost = "127.0.0.1";
        config.MqttPort = _broker.Port;
        var kit = SmartKey.Technician.ProvisioningKit.Create(Serial, Code, new[] { ImageSigner.PublicPoint(OtaLab.Vendor) }, _pki.Manufacturing, _pki.Operator.Certificate, config.HardwareId, DateTimeOffset.UtcNow);
        kit.WriteTo(_kit, "COM3");
        var files = SmartKey.Technician.ProvisioningKit.IdentityFiles;
        var link = new HostMqttLink(BrokerEndpoint.FromLockFiles("127.0.0.1", _broker.Port, Path.Combine(_kit, files[0].KitFile), Path.Combine(_kit, files[1].KitFile), Path.Combine(_kit, files[2].KitFile)));
        var device = new SimulatedDevice(config, 77, mqtt: link);
        device.Hardware.Clock.SetUnixSeconds(Lab.Tuesday.ToUnixTimeSeconds());
        device.Boot();
        device.Hardware.Console.Type(File.ReadAllBytes(Path.Combine(_kit, SmartKey.Technician.ProvisioningKit.ServiceFileName)));
        device.Advance(50);
        Assert.StartsWith("ok provisioned", device.Hardware.Console.TakeOutput());
        return device;
    }

    private MqttOtaServer NewOtaServer() => new(_pki.Endpoint(_broker.BackendPort, _ota ??= _pki.OtaServer("ota")));

    /// <summary>The OTA server's own certificate beside the sniffer's: on the backend listener a subject is one client id.</summary>
    private SmartKey.Technician.Pki.IssuedCertificate? _ota;

    /// <summary>Runs the lock's main loop in simulated time until a condition holds (the broker works in real time).</summary>
    private static void Pump(SimulatedDevice device, Func<bool> done, int realMs = 15000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(realMs);
        while (!done())
        {
            var c = device.Core;
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting on the broker: asleep {device.Asleep}, queue {c.Telemetry.Count}, uplink {c.Uplink.Active}, attempts {c.Uplink.ConnectAttempts}, sent {c.Uplink.ReportsSent}, battery {c.Battery.State} {c.Battery.Percent}% (last reported {c.Telemetry.LastReportedBattery}), ota {c.Ota.State}/{c.Ota.LastError}, {c.Status.Snapshot()}");
            device.Advance(10);
            Thread.Sleep(1);
        }
    }

    private bool Seen(string topicSuffix, string contains) =>
        _wire.Any(m => m.topic.EndsWith(topicSuffix, StringComparison.Ordinal) && Encoding.UTF8.GetString(m.payload).Contains(contains));

    [Fact]
    public void AFullLifeLeavesOnlyTheFourAllowedThingsOnTheWire()
    {
        var device = NewLock();
        var secrets = new List<byte[]>();
        var phrases = new List<string> { Code };
        var (w0, l) = SetupCode.Verifier(Code, Serial);
        secrets.Add(w0);
        secrets.Add(l[1..]);

        var phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        phone.Connect();
        var owner = phone.Pair(Code, "SK-PRIV-0042", "alices-iphone-15");
        phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _).SetWifi("Alices-Home-5G", "hunter2-hunter2");
        phone.Disconnect();
        phrases.Add("alices-iphone-15");
        phrases.Add("Alices-Home-5G");
        phrases.Add("hunter2-hunter2");
        secrets.Add(owner.Key);
        var unlockTimes = new List<long>();

        // Everyday use: unlocks, guests granted and revoked, failed attempts, a jam.
        Credential? guest = null;
        for (int i = 0; i < 6; i++)
        {
            device.Touch();
            phone.Connect();
            phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out _);
            unlockTimes.Add(device.Hardware.Clock.UnixSeconds);
            if (i == 2)
            {
                var s = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _);
                guest = s.AddGuest(null, null);
                secrets.Add(guest.Key);
                phrases.Add(guest.ToPass());
            }

            phone.Disconnect();
            device.Advance(40_000);
        }

        var stranger = new Credential(Serial, 9, 2, new byte[32]);
        for (int i = 0; i < 5; i++)
        {
            device.Touch();
            phone.Connect();
            Assert.Throws<PhoneException>(() => phone.Open(stranger, CommandId.Unlock, Array.Empty<byte>(), out _));   // error burst → report
            phone.Disconnect();
            device.Advance(20_000);                                         // past the authentication back-off
        }

        Pump(device, () => _wire.Any(m => m.topic.EndsWith("/telemetry")));
        device.Hardware.Mechanism.JamAt(300);
        device.Touch();
        phone.Connect();
        Assert.Equal(ErrorCode.LockJammed, Assert.Throws<PhoneException>(() => phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out _)).Code);
        phone.Disconnect();
        device.Hardware.Mechanism.ClearJam();
        device.Advance(40_000);

        // Battery decline: LOW is reported at once; CRITICAL turns Wi-Fi off (queued, sent later).
        device.Hardware.Battery.SetStateOfCharge(25);
        device.Advance(3600_000);                                          // it is noticed at the next wake at the latest
        device.Touch();
        Pump(device, () => Seen("/telemetry", "\"low\""));
        device.Hardware.Battery.SetStateOfCharge(100);                      // new batteries
        device.PowerOnAfterCut();
        device.Advance(61_000);

        // A day passes: the daily window reports; an update is offered, fetched over MQTT, confirmed.
        using var server = NewOtaServer();
        var image = OtaLab.Image("1.1.0", counter: 2);
        Assert.True(server.Offer(Serial, image));
        device.Advance(26L * 3600 * 1000);
        Pump(device, () => server.Statuses.Any(s => s.json.Contains("\"confirmed\"")) || server.Statuses.Any(s => s.json.Contains("\"failed\"")), 30000);
        Assert.Contains(server.Statuses, s => s.json.Contains("\"confirmed\""));
        Assert.Equal("1.1.0", device.Core.Firmware.Version);

        // The owner revokes the guest, reads the log, and finally resets the lock.
        device.Touch();
        phone.Connect();
        var session = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _);
        session.Revoke(guest!.BindingId);
        var log = session.ReadAllLog();
        session.FactoryReset();
        device.Advance(100);
        Pump(device, () => !device.Core.Uplink.Active, 10000);
        Thread.Sleep(300);

        var messages = _wire.ToArray();
        // A whole life as the backend sees it: reports (burst, low battery, daily, after the update), chunk requests, statuses.
        Assert.True(messages.Length >= 9 && messages.Count(m => m.topic.EndsWith("/ota/status")) >= 3 && messages.Count(m => m.topic.EndsWith("/telemetry")) >= 4 && messages.Any(m => m.topic.EndsWith("/ota/chunk/request")),
            "messages " + messages.Length + ": " + string.Join(", ", messages.Select(m => m.topic.Substring(m.topic.LastIndexOf(Serial, StringComparison.Ordinal) + Serial.Length) + " " + m.payload.Length)));
        var fromLock = messages.Where(m => Regex.IsMatch(m.topic, "/(telemetry|ota/status|ota/chunk/request)$")).ToArray();
        Assert.Contains(fromLock, m => m.topic.EndsWith("/telemetry"));
        Assert.Contains(fromLock, m => m.topic.EndsWith("/ota/status"));

        // Only the allowed topics.
        foreach (var (topic, _) in messages)
            Assert.Matches("^smartkey/v1/" + Serial + "/(telemetry|ota/chunk/request|ota/status)$", topic);      // what the backend identity may read

        // Only the allowed JSON keys.
        foreach (var (topic, payload) in fromLock)
        {
            if (topic.EndsWith("/ota/chunk/request"))
            {
                Assert.Equal(6, payload.Length);
                continue;
            }

            using var json = JsonDocument.Parse(payload);
            var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            if (topic.EndsWith("/telemetry"))
            {
                Assert.Subset(new HashSet<string> { "serial", "firmware", "battery", "errors" }, keys.ToHashSet());
                Assert.Equal(Serial, json.RootElement.GetProperty("serial").GetString());
                Assert.Equal(new[] { "millivolts", "percent", "state" }, json.RootElement.GetProperty("battery").EnumerateObject().Select(p => p.Name).OrderBy(n => n));
                if (json.RootElement.TryGetProperty("errors", out var errors))
                    Assert.All(errors.EnumerateObject(), e => Assert.Matches("^[0-9]{1,3}$", e.Name));
            }
            else
            {
                Assert.Equal(new[] { "error", "offset", "size", "state" }, keys.OrderBy(k => k));
            }
        }

        Assert.Contains(fromLock, m => m.topic.EndsWith("/telemetry") && Encoding.UTF8.GetString(m.payload).Contains("\"errors\":{\"") && Encoding.UTF8.GetString(m.payload).Contains("\"41\""));

        // No secret, no personal datum, in any encoding, in any payload.
        var forbidden = new List<byte[]>();
        foreach (var secret in secrets)
        {
            forbidden.Add(secret);
            forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(secret)));
            forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToHexString(secret).ToLowerInvariant()));
            forbidden.Add(Encoding.ASCII.GetBytes(Convert.ToBase64String(secret)));
        }

        forbidden.AddRange(phrases.Select(p => Encoding.UTF8.GetBytes(p)));
        forbidden.AddRange(unlockTimes.Select(t => Encoding.ASCII.GetBytes(t.ToString())));
        forbidden.AddRange(log.Select(e => { var b = new byte[8]; BitConverter.GetBytes(e.Sequence).CopyTo(b, 0); BitConverter.GetBytes(e.UnixTime).CopyTo(b, 4); return b; }));
        foreach (var (topic, payload) in fromLock)
            foreach (var f in forbidden)
                Assert.True(payload.AsSpan().IndexOf(f) < 0, $"{topic} carries a forbidden value");
        foreach (var (topic, payload) in fromLock.Where(m => !m.topic.EndsWith("/ota/chunk/request")))
        {
            string text = Encoding.UTF8.GetString(payload);
            Assert.DoesNotMatch("\"(key|binding|bindingId|id|time|unix|log|phone|name|setup|code|w0|L|verifier)\"", text);
        }
    }

    [Fact]
    public void WithTheBrokerDownTheLockKeepsWorkingAndQueuesThenDrains()
    {
        var device = NewLock();
        var phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        phone.Connect();
        var owner = phone.Pair(Code, Serial);
        phone.Disconnect();
        _broker.Stop();
        device.Hardware.Battery.SetStateOfCharge(25);                      // LOW: a report is due
        device.Advance(3600_000);
        device.Touch();
        device.Advance(30_000);
        device.Touch();
        phone.Connect();
        phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out byte[] state);   // the lock works regardless
        Assert.Equal(2, state[0]);
        phone.Disconnect();
        device.Advance(120_000);
        Assert.True(device.Core.Telemetry.Count > 0, "the report waits in the queue");
        Assert.True(((HostMqttLink)device.Hardware.MqttLink).ConnectCalls >= 2, "it retried with back-off");
        device.PowerOnAfterCut();                                           // the queue survives a reboot too
        Assert.True(device.Core.Telemetry.Count > 0);

        _broker.Start();
        Assert.True(_sniffer.Connect(), _sniffer.LastConnectError);      // its filters are renewed on connect
        SubscribeSniffer();
        device.Core.Reports.Report();
        Pump(device, () => device.Core.Telemetry.Count == 0);
        Pump(device, () => Seen("/telemetry", "\"low\""));
    }

    [Fact]
    public void MalformedOtaMessagesGetAStatusErrorNeverACrash()
    {
        var device = NewLock();
        using var server = NewOtaServer();
        var keepOpen = OtaLab.Image("1.0.1");
        server.Offer(Serial, keepOpen);                                    // an offer keeps the lock's window open (downloading)
        device.Core.Reports.Report();
        Pump(device, () => server.Statuses.Any(s => s.json.Contains("\"downloading\"")));
        var rng = new Random(5);
        for (int i = 0; i < 20; i++)
        {
            var junk = new byte[rng.Next(1, 120)];
            rng.NextBytes(junk);
            server.PublishRaw(Serial, i % 2 == 0 ? "offer" : "chunk", i % 4 == 1 ? new byte[] { 1, 2 } : junk);
        }

        Pump(device, () => server.Statuses.Count(s => s.json.Contains("\"error\":1,") || s.json.Contains("\"error\":7,")) >= 3);
        Assert.All(server.Statuses, s => Assert.Matches("^\\{\"state\":\"[a-z]+\",\"error\":[0-9]+,\"offset\":[0-9]+,\"size\":[0-9]+\\}$", s.json));
        Assert.Contains(device.Core.Firmware.Version, new[] { "1.0.0", "1.0.1" });
        device.Advance(10_000);
        Assert.NotNull(device.Core.Status.Snapshot());                           // still alive and answering
    }

    public void Dispose()
    {
        _sniffer.Dispose();
        _broker.Dispose();
        _pki.Dispose();
        if (Directory.Exists(_kit)) Directory.Delete(_kit, true);
    }
}
