using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests;

/// <summary>Access, portability and deletion of one lock's data at the server, and the retention job.</summary>
public abstract class PrivacyTests
{
    private readonly Backend _backend;

    protected PrivacyTests(Backend backend) => _backend = backend;

    private static void Report(ServerLab lab, string serial, string state, int percent, string errors = "") =>
        lab.Publish(serial, "telemetry", Encoding.UTF8.GetBytes($"{{\"serial\":\"{serial}\",\"firmware\":\"1.0.0\",\"battery\":{{\"percent\":{percent},\"millivolts\":{4000 + percent * 20},\"state\":\"{state}\"}}{(errors == "" ? "" : ",\"errors\":{" + errors + "}")},\"phone\":\"Pixel of Alice\"}}"));

    private static List<string> RowsMentioning(ServerLab lab, string text)
    {
        var found = new List<string>();
        using var c = lab.Core.Database.Connect();
        foreach (string table in new[] { "devices", "telemetry", "actions", "audit", "counters", "releases", "rollouts", "schema_migrations" })
            foreach (var row in c.Query("SELECT * FROM " + table))
                foreach (var (column, value) in (IDictionary<string, object>)row)
                    if ((value?.ToString() ?? "").Contains(text, StringComparison.Ordinal)) found.Add(table + "." + column);
        return found;
    }

    [Fact]
    public void ExportHoldsExactlyTheFourKindsOfDataAndTheActionsAndEraseLeavesNoRowNamingTheLock()
    {
        using var lab = new ServerLab(_backend);
        lab.Admit(new[] { "SK-P-001", "SK-P-002" });
        Report(lab, "SK-P-001", "ok", 90, "\"41\":1");
        lab.Clock.Advance(TimeSpan.FromHours(5));
        Report(lab, "SK-P-001", "low", 24, "\"22\":3,\"41\":1");
        Report(lab, "SK-P-002", "ok", 99);
        lab.WaitQuiet();
        lab.Publish("SK-P-001", "telemetry", Encoding.UTF8.GetBytes("{\"serial\":\"SK-P-001\",\"firmware\":\"1.0.0\",\"battery\":{\"percent\":70,\"millivolts\":5400,\"state\":\"ok\"}}"));
        lab.WaitQuiet();
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        long id = lab.StartRollout(new RolloutRequest { ReleaseId = release, Canary = new() { "SK-P-001" }, Serials = new() { "SK-P-001", "SK-P-002" }, Percents = new() { 100 } });
        lab.Tick();
        Assert.Equal(1, lab.Sniffer.OffersTo("SK-P-001"));

        using var http = lab.Http("dpo", SmartKey.OtaServer.Auth.Roles.PrivacyOfficer);
        var response = http.GetAsync("/api/devices/SK-P-001/export").GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var export = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        var root = export.RootElement;
        Assert.Equal(new[] { "actions", "admission", "batteryNow", "errors", "firmware", "format", "lastSeenAt", "serial", "telemetry" },
            root.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("SK-P-001", root.GetProperty("serial").GetString());
        Assert.Equal("1.0.0", root.GetProperty("firmware").GetString());
        Assert.Equal("ok", root.GetProperty("batteryNow").GetProperty("state").GetString());
        var telemetry = root.GetProperty("telemetry").EnumerateArray().ToList();
        Assert.Equal(3, telemetry.Count);
        Assert.All(telemetry, t => Assert.Equal(new[] { "battery", "errors", "firmware", "receivedAt" }, t.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal)));
        Assert.All(telemetry, t => Assert.Equal(new[] { "millivolts", "percent", "state" }, t.GetProperty("battery").EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal)));
        Assert.Equal(new[] { "ok", "low", "ok" }, telemetry.Select(t => t.GetProperty("battery").GetProperty("state").GetString()));
        Assert.Equal(3, telemetry[1].GetProperty("errors").GetProperty("22").GetInt64());
        Assert.Equal(new[] { "hardwareId", "certificateSha256", "otaTrustKeyIds", "issuedAt", "admittedAt" }, root.GetProperty("admission").EnumerateObject().Select(p => p.Name));
        var action = root.GetProperty("actions").EnumerateArray().Single();
        Assert.Equal(id, action.GetProperty("rolloutId").GetInt64());
        Assert.Equal("offered", action.GetProperty("state").GetString());
        Assert.DoesNotContain("Pixel", export.RootElement.GetRawText());
        Assert.DoesNotContain("SK-P-002", export.RootElement.GetRawText());

        // Erase: every row about the lock goes, its retained offer is cleared, and the audit says it happened without naming it.
        Assert.NotEmpty(RowsMentioning(lab, "SK-P-001"));
        Assert.Equal(HttpStatusCode.NoContent, http.DeleteAsync("/api/devices/SK-P-001").GetAwaiter().GetResult().StatusCode);
        Assert.Empty(RowsMentioning(lab, "SK-P-001"));
        lab.Sniffer.Fence();                    // the withdrawal the broker acknowledged has reached the sniffer
        Assert.Equal(1, lab.Sniffer.WithdrawalsTo("SK-P-001"));
        Assert.Contains(lab.Core.Audit.All(), a => a.Action == "erased" && a.Actor == "dpo" && a.Role == SmartKey.OtaServer.Auth.Roles.PrivacyOfficer);
        Assert.Equal(HttpStatusCode.NotFound, http.GetAsync("/api/devices/SK-P-001/export").GetAwaiter().GetResult().StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, http.DeleteAsync("/api/devices/SK-P-001").GetAwaiter().GetResult().StatusCode);
        // The other lock and the rollout are untouched, and the erased lock's later telemetry is refused as unknown.
        Assert.NotNull(lab.Core.Devices.Get("SK-P-002"));
        Assert.Equal(new[] { "SK-P-002" }, lab.Core.Rollouts.Get(id).Filter.Serials);
        Report(lab, "SK-P-001", "ok", 90);
        lab.WaitQuiet();
        Assert.Empty(RowsMentioning(lab, "SK-P-001"));
    }

    [Fact]
    public void RetentionDeletesOldTelemetryAndForgetsLocksNotSeen()
    {
        using var lab = new ServerLab(_backend, o => { o.TelemetryRetentionDays = 30; o.ForgetAfterDays = 100; });
        lab.Admit(new[] { "SK-T-001", "SK-T-002" });
        Report(lab, "SK-T-001", "ok", 90);
        Report(lab, "SK-T-002", "ok", 80);
        lab.WaitQuiet();
        lab.Clock.Advance(TimeSpan.FromDays(40));
        Report(lab, "SK-T-001", "ok", 85);
        lab.WaitQuiet();
        var first = lab.Core.RunRetention();
        Assert.Equal(2, first.TelemetryDeleted);                        // the two reports of day 0
        Assert.Equal(0, first.LocksForgotten);
        Assert.Single(lab.Core.Devices.Telemetry("SK-T-001"));
        Assert.Empty(lab.Core.Devices.Telemetry("SK-T-002"));

        lab.Clock.Advance(TimeSpan.FromDays(70));                      // SK-T-002 last seen 110 days ago, SK-T-001 70 days ago
        var second = lab.Core.RunRetention();
        Assert.Equal(1, second.LocksForgotten);
        var forgotten = lab.Core.Devices.Get("SK-T-002")!;
        Assert.Null(forgotten.LastSeenAt);
        Assert.Null(forgotten.Firmware);
        Assert.Null(forgotten.BatteryState);
        Assert.NotNull(lab.Core.Devices.Get("SK-T-001")!.LastSeenAt);
        Assert.Contains(lab.Core.Audit.All(), a => a.Action == "retention" && a.Detail.Contains("1 locks forgotten"));
    }
}

public sealed class SqlitePrivacyTests : PrivacyTests
{
    public SqlitePrivacyTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPrivacyTests : PrivacyTests
{
    public PostgresPrivacyTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
