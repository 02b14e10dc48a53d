using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using Dapper;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests;

/// <summary>What the server refuses or drops: each case counted, none changes state or gets an answer.</summary>
public abstract class IntakeTests
{
    private readonly Backend _backend;

    protected IntakeTests(Backend backend) => _backend = backend;

    private static HttpResponseMessage Upload(HttpClient http, byte[] image)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return http.PostAsync("/api/releases", content).GetAwaiter().GetResult();
    }

    private static string Error(HttpResponseMessage r)
    {
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(r.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("detail").GetString()!;
    }

    [Fact]
    public void EveryRefusedUploadIsCountedWithTheVerifiersReasonAndStoresNothing()
    {
        using var lab = new ServerLab(_backend);
        using var http = lab.Http();
        byte[] release = TestKeys.Image("1.1.0", counter: 3);
        Assert.Equal(HttpStatusCode.Created, Upload(http, release).StatusCode);
        Assert.Equal(HttpStatusCode.OK, Upload(http, release).StatusCode);                 // the same bytes again: nothing new

        var garbage = new byte[2000];
        new Random(3).NextBytes(garbage);
        var truncated = TestKeys.Image("1.2.0", counter: 3)[..1500];
        var cases = new (byte[] image, string reason)[]
        {
            (TestKeys.Unsigned("1.2.0"), "unsigned image"),
            (TestKeys.Image("1.2.0", counter: 3, key: TestKeys.Stranger), ImageInspector.Describe(OtaError.UnknownKey)),
            (garbage, ImageInspector.Describe(OtaError.BadMagic)),
            (truncated, ImageInspector.Describe(OtaError.Truncated)),
            (TestKeys.Image("1.0.5", counter: 3), ImageInspector.Describe(OtaError.Downgrade) + " (newest release for smartkey-esp32-v1 is 1.1.0)"),
            (TestKeys.Image("1.2.0", counter: 2), ImageInspector.Describe(OtaError.SecurityCounterTooLow) + " (newest release for smartkey-esp32-v1 has counter 3)"),
            (TestKeys.Image("1.2.0", counter: 3, hardware: "smartkey-esp32-v9"), ImageInspector.Describe(OtaError.WrongHardware) + " ('smartkey-esp32-v9' is not one of smartkey-esp32-v1)"),
            (Array.Empty<byte>(), "empty upload"),
        };
        foreach (var (image, reason) in cases)
        {
            var r = Upload(http, image);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            Assert.StartsWith(reason, Error(r));
        }

        Assert.Equal(cases.Length, lab.Core.Counters.Get(Counters.UploadRefused));
        Assert.Single(lab.Core.Releases.List());
        Assert.Single(Directory.GetFiles(Path.Combine(lab.Options.DataDirectory, "images"), "*", SearchOption.AllDirectories));
        var anonymous = new HttpClient { BaseAddress = lab.Host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, Upload(anonymous, TestKeys.Image("1.3.0", counter: 3)).StatusCode);   // no credential
    }

    [Fact]
    public void UnknownSerialsExtraFieldsUnassignedAndOverLimitChunkRequestsAreCountedAndHarmless()
    {
        using var lab = new ServerLab(_backend, o => { o.ChunkBurst = 3; o.ChunksPerSecond = 0.01; });
        lab.Admit(new[] { "SK-I-001", "SK-I-002" });
        string telemetry = "{\"serial\":\"SK-I-001\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":80,\"millivolts\":5900,\"state\":\"ok\",\"temperature\":31},\"errors\":{\"41\":2},\"owner\":\"Alice Example\",\"wifi\":{\"ssid\":\"home\"}}";
        lab.Publish("SK-I-001", "telemetry", Encoding.UTF8.GetBytes(telemetry));
        lab.Publish("SK-STRANGER", "telemetry", Encoding.UTF8.GetBytes(telemetry.Replace("SK-I-001", "SK-STRANGER")));
        lab.Publish("SK-I-002", "telemetry", Encoding.UTF8.GetBytes("{\"serial\":\"SK-I-002\",\"firmware\":12}"));
        lab.Publish("SK-STRANGER", "ota/status", Encoding.UTF8.GetBytes("{\"state\":\"confirmed\",\"error\":0,\"offset\":0,\"size\":0}"));
        lab.Publish("SK-I-002", "ota/status", Encoding.UTF8.GetBytes("{\"state\":\"confirmed\",\"error\":0,\"offset\":0,\"size\":0}"));
        lab.Publish("SK-I-002", "ota/chunk/request", new byte[] { 0, 0, 0, 0, 16, 0 });
        lab.Publish("SK-STRANGER", "ota/chunk/request", new byte[] { 0, 0, 0, 0, 16, 0 });
        lab.WaitQuiet();

        Assert.Equal(1, lab.Core.Counters.Get(Counters.TelemetryUnknownSerial));
        Assert.Equal(3, lab.Core.Counters.Get(Counters.TelemetryFieldDropped));        // battery.temperature, owner, wifi
        Assert.Equal(1, lab.Core.Counters.Get(Counters.TelemetryMalformed));
        Assert.Equal(1, lab.Core.Counters.Get(Counters.StatusUnknownSerial));
        Assert.Equal(1, lab.Core.Counters.Get(Counters.StatusUnassigned));
        Assert.Equal(1, lab.Core.Counters.Get(Counters.ChunkUnassigned));
        Assert.Equal(1, lab.Core.Counters.Get(Counters.ChunkUnknownSerial));
        Assert.Equal(0, lab.Sniffer.ChunksTo("SK-I-002"));
        Assert.Null(lab.Core.Devices.Get("SK-STRANGER"));
        var d = lab.Core.Devices.Get("SK-I-001")!;
        Assert.Equal(("1.0.0", "ok", 80L, 5900L, "41:2"), (d.Firmware, d.BatteryState, d.BatteryPercent, d.BatteryMillivolts, d.Errors));
        Assert.Null(lab.Core.Devices.Get("SK-I-002")!.Firmware);                           // the malformed report stored nothing
        using (var c = lab.Core.Database.Connect())
        {
            foreach (string table in new[] { "devices", "telemetry", "actions", "audit", "counters", "releases", "rollouts" })
                foreach (var row in c.Query("SELECT * FROM " + table))
                    foreach (var value in ((System.Collections.Generic.IDictionary<string, object>)row).Values)
                    {
                        Assert.DoesNotContain("Alice", value?.ToString() ?? "");
                        Assert.DoesNotContain("temperature", value?.ToString() ?? "");
                        Assert.DoesNotContain("home", value?.ToString() ?? "");
                        Assert.DoesNotContain("SK-STRANGER", value?.ToString() ?? "");
                    }
        }

        // An assigned lock over its rate limit: the burst is served, the rest counted, no more replies.
        byte[] image = TestKeys.Image("1.1.0", counter: 2);
        string release = lab.AddRelease(image);
        long id = lab.StartRollout(new RolloutRequest { ReleaseId = release, Canary = new() { "SK-I-001" }, Percents = new() { 100 }, SoakDays = 0 });
        lab.Tick();
        Assert.Equal(1, lab.Sniffer.OffersTo("SK-I-001"));
        Assert.Equal(0, lab.Sniffer.OffersTo("SK-I-002"));                                 // malformed telemetry never made it a target
        for (int i = 0; i < 5; i++) lab.Publish("SK-I-001", "ota/chunk/request", new byte[] { 0, 0, 0, 0, 16, 0 });
        lab.Publish("SK-I-002", "ota/chunk/request", new byte[] { 0, 0, 0, 0, 16, 0 });   // not in the rollout
        lab.WaitQuiet();
        Thread.Sleep(200);
        Assert.Equal(3, lab.Sniffer.ChunksTo("SK-I-001"));
        Assert.Equal(3, lab.Core.Counters.Get(Counters.ChunksServed));
        Assert.Equal(2, lab.Core.Counters.Get(Counters.ChunkRateLimited));
        Assert.Equal(2, lab.Core.Counters.Get(Counters.ChunkUnassigned));
        Assert.Equal(0, lab.Sniffer.ChunksTo("SK-I-002"));
        var chunk = lab.Sniffer.Messages.First(m => m.topic.EndsWith("/SK-I-001/ota/chunk")).payload;
        Assert.Equal(4 + 16, chunk.Length);
        Assert.Equal(image[..16], chunk[4..]);
        Assert.Equal(ActionStates.Downloading, lab.Core.Devices.Actions("SK-I-001").Single().State);
    }

    [Fact]
    public void AMessageDeliveredTwiceOrReplayedLaterChangesNothing()
    {
        using var lab = new ServerLab(_backend);
        lab.Admit(new[] { "SK-D-001" });
        byte[] report = Encoding.UTF8.GetBytes("{\"serial\":\"SK-D-001\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":80,\"millivolts\":5900,\"state\":\"ok\"}}");
        lab.Publish("SK-D-001", "telemetry", report);
        lab.Publish("SK-D-001", "telemetry", report);                                   // a QoS 1 duplicate
        lab.WaitQuiet();
        Assert.Equal(1, lab.Core.Devices.Telemetry("SK-D-001").Count);
        Assert.Equal(1, lab.Core.Counters.Get(Counters.TelemetryDuplicate));

        // A newer report, then the old one again within the dedup window (ten minutes): the registry keeps the newer one.
        lab.Clock.Advance(TimeSpan.FromMinutes(1));
        lab.Publish("SK-D-001", "telemetry", Encoding.UTF8.GetBytes("{\"serial\":\"SK-D-001\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":79,\"millivolts\":5890,\"state\":\"ok\"}}"));
        lab.WaitQuiet();
        lab.Publish("SK-D-001", "telemetry", report);
        lab.WaitQuiet();
        Assert.Equal(2, lab.Core.Devices.Telemetry("SK-D-001").Count);
        Assert.Equal(2, lab.Core.Counters.Get(Counters.TelemetryDuplicate));
        Assert.Equal(79, lab.Core.Devices.Get("SK-D-001")!.BatteryPercent);

        // A lock's failure delivered twice is one failed attempt, not two (which would bring it nearer its cap).
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        lab.StartRollout(new RolloutRequest { ReleaseId = release, Canary = new() { "SK-D-001" }, Percents = new() { 100 }, SoakDays = 0, MaxAttempts = 3 });
        lab.Tick();
        byte[] failed = Encoding.UTF8.GetBytes("{\"state\":\"failed\",\"error\":15,\"offset\":4096,\"size\":8192}");
        lab.Publish("SK-D-001", "ota/status", failed);
        lab.Publish("SK-D-001", "ota/status", failed);
        lab.WaitQuiet();
        var action = lab.Core.Devices.Actions("SK-D-001").Single();
        Assert.Equal((ActionStates.Retry, 1L, 1L), (action.State, action.Attempts, action.Failures));
        Assert.Equal(1, lab.Core.Counters.Get(Counters.StatusUnassigned));             // the copy found no open action
    }

    [Fact]
    public void ABadManufacturingFileAdmitsNothing()
    {
        using var lab = new ServerLab(_backend);
        using var http = lab.Http();
        string good = TestKeys.Record("SK-M-001");
        foreach (string bad in new[]
                 {
                     "[" + good + "," + TestKeys.Record("SK/M+2") + "]",
                     "[" + good + "," + good + "]",
                     good.Replace("smartkey-manufacturing-record/1", "other/2"),
                     good.Replace("\"issuedAt\":\"2026-01-15T10:00:00Z\"", "\"issuedAt\":\"yesterday\""),
                     "{not json",
                 })
        {
            var r = http.PostAsync("/api/devices/admit", new StringContent(bad, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        }

        Assert.Empty(lab.Core.Devices.List());
        var ok = http.PostAsync("/api/devices/admit", new StringContent("[" + good + "," + TestKeys.Record("SK-M-002") + "]", Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(new[] { "SK-M-001", "SK-M-002" }, lab.Core.Devices.List().Select(d => d.Serial));
    }
}

public sealed class SqliteIntakeTests : IntakeTests
{
    public SqliteIntakeTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresIntakeTests : IntakeTests
{
    public PostgresIntakeTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
