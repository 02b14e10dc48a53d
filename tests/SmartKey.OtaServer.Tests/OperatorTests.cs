using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using SmartKey.OtaServer.Cli;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests;

/// <summary>The operator's side: approval by a second identity, the audit trail, every CLI command, the OpenAPI document, migrations.</summary>
public abstract class OperatorTests
{
    private readonly Backend _backend;

    protected OperatorTests(Backend backend) => _backend = backend;

    /// <summary>The CLI as the actor's local account, its token in a 0600 file.</summary>
    private static (int code, string output, string error) Cli(ServerLab lab, string actor, params string[] args)
    {
        string file = Path.Combine(lab.Directory, actor + ".token");
        File.WriteAllText(file, lab.Token(actor));
        OwnerOnly(file);
        return CliWithTokenFile(lab, file, args);
    }

    private static void OwnerOnly(string file)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static (int code, string output, string error) CliWithTokenFile(ServerLab lab, string file, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args.Concat(new[] { "--server", lab.Host.BaseAddress.ToString(), "--token-file", file }).ToArray(), output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void StartNeedsApprovalByASecondOperatorAndEveryStateChangeIsAudited()
    {
        using var lab = new ServerLab(_backend);
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        var r = lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = release }, "alice");
        Assert.Equal(403, Assert.Throws<OperationException>(() => lab.Core.Rollouts.Approve(r.Id, "alice")).Status);
        Assert.Equal(403, Assert.Throws<OperationException>(() => lab.Core.Rollouts.Approve(r.Id, "ALICE")).Status);
        Assert.Equal(409, Assert.Throws<OperationException>(() => lab.Core.Rollouts.Start(r.Id, "alice")).Status);
        Assert.Equal(RolloutStates.Created, lab.Core.Rollouts.Get(r.Id).State);
        lab.Core.Rollouts.Approve(r.Id, "bob");
        Assert.Equal(409, Assert.Throws<OperationException>(() => lab.Core.Rollouts.Approve(r.Id, "carol")).Status);
        lab.Core.Rollouts.Start(r.Id, "alice");
        lab.Core.Rollouts.Pause(r.Id, "carol");
        Assert.Equal(409, Assert.Throws<OperationException>(() => lab.Core.Rollouts.Pause(r.Id, "carol")).Status);
        lab.Core.Rollouts.Resume(r.Id, "bob");
        lab.Core.Rollouts.Cancel(r.Id, "alice");
        Assert.Equal(409, Assert.Throws<OperationException>(() => lab.Core.Rollouts.Resume(r.Id, "bob")).Status);
        var history = lab.Core.Audit.ForSubject(RolloutService.Subject(r.Id)).Select(a => (a.Action, a.Actor)).ToArray();
        Assert.Equal(new[] { ("created", "alice"), ("approved", "bob"), ("started", "alice"), ("paused", "carol"), ("resumed", "bob"), ("cancelled", "alice") }, history);
        var rollout = lab.Core.Rollouts.Get(r.Id);
        Assert.Equal(("alice", "bob", RolloutStates.Cancelled), (rollout.CreatedBy, rollout.ApprovedBy, rollout.State));
        Assert.Throws<ArgumentException>(() => lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = release, SuccessPercent = 0 }, "alice"));
        Assert.Throws<ArgumentException>(() => lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = release, Percents = new() { 50, 10 } }, "alice"));
        Assert.Throws<ArgumentException>(() => lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = release, MinVersion = "one" }, "alice"));
        Assert.Equal(404, Assert.Throws<OperationException>(() => lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = new string('0', 64) }, "alice")).Status);
        Assert.Single(lab.Core.Rollouts.List());
    }

    [Fact]
    public void EveryOperatorCommandWorksThroughTheCli()
    {
        using var lab = new ServerLab(_backend);
        string records = Path.Combine(lab.Directory, "records.json");
        File.WriteAllText(records, "[" + TestKeys.Record("SK-C-001") + "," + TestKeys.Record("SK-C-002") + "]");
        string single = Path.Combine(lab.Directory, "one.json");
        File.WriteAllText(single, TestKeys.Record("SK-C-003"));
        string image = Path.Combine(lab.Directory, "fw.img");
        File.WriteAllBytes(image, TestKeys.Image("1.1.0", counter: 2));
        string bad = Path.Combine(lab.Directory, "bad.img");
        File.WriteAllBytes(bad, TestKeys.Image("1.2.0", counter: 2, key: TestKeys.Stranger));

        var admit = Cli(lab, "alice", "device", "admit", records, single);
        Assert.Equal(0, admit.code);
        Assert.Contains("2 records admitted", admit.output);
        Assert.Contains("1 records admitted", admit.output);
        Assert.Equal(2, Cli(lab, "alice", "device", "admit", Path.Combine(lab.Directory, "missing.json")).code);
        var add = Cli(lab, "alice", "release", "add", image);
        Assert.Equal(0, add.code);
        string id = JsonDocument.Parse(add.output).RootElement.GetProperty("id").GetString()!;
        var refused = Cli(lab, "alice", "release", "add", bad);
        Assert.Equal(1, refused.code);
        Assert.Contains(SmartKey.Ota.ImageInspector.Describe(SmartKey.Firmware.Ota.OtaError.UnknownKey), refused.error);
        Assert.Single(JsonDocument.Parse(Cli(lab, "alice", "release", "list").output).RootElement.EnumerateArray());

        var create = Cli(lab, "alice", "rollout", "create", "--release", id, "--canary", "SK-C-001", "--percents", "10,100", "--success-percent", "95", "--error-count", "2", "--soak-days", "2", "--max-attempts", "4");
        Assert.Equal(0, create.code);
        Assert.Equal("created rollout 1", create.output.Trim());
        var self = Cli(lab, "alice", "rollout", "approve", "1");
        Assert.Equal(1, self.code);
        Assert.Contains("another operator must approve", self.error);
        Assert.Equal("rollout 1: approved", Cli(lab, "bob", "rollout", "approve", "1").output.Trim());
        Assert.Equal("rollout 1: running", Cli(lab, "bob", "rollout", "start", "1").output.Trim());
        Assert.Equal("rollout 1: paused", Cli(lab, "alice", "rollout", "pause", "1").output.Trim());
        Assert.Equal("rollout 1: running", Cli(lab, "alice", "rollout", "resume", "1").output.Trim());
        var statusCall = Cli(lab, "alice", "rollout", "status", "1");
        Assert.True(statusCall.code == 0, statusCall.error);
        using (var status = JsonDocument.Parse(statusCall.output))
        {
            var r = status.RootElement.GetProperty("rollout");
            Assert.Equal(("running", 950, 2, 2, 4), (r.GetProperty("state").GetString(), r.GetProperty("successPermille").GetInt32(), r.GetProperty("errorCount").GetInt32(), r.GetProperty("soakDays").GetInt32(), r.GetProperty("maxAttempts").GetInt32()));
            Assert.Equal(new[] { "canary", "10%", "100%" }, status.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
            Assert.Equal(5, status.RootElement.GetProperty("history").GetArrayLength());
        }

        Assert.Single(JsonDocument.Parse(Cli(lab, "alice", "rollout", "list").output).RootElement.EnumerateArray());
        Assert.Equal("rollout 1: cancelled", Cli(lab, "alice", "rollout", "cancel", "1").output.Trim());
        Assert.Equal(3, JsonDocument.Parse(Cli(lab, "alice", "device", "list").output).RootElement.GetArrayLength());
        Assert.Equal("SK-C-002", JsonDocument.Parse(Cli(lab, "alice", "device", "show", "SK-C-002").output).RootElement.GetProperty("serial").GetString());
        Assert.Equal(1, Cli(lab, "alice", "device", "show", "SK-NOPE").code);
        string exportFile = Path.Combine(lab.Directory, "export.json");
        Assert.Equal(0, Cli(lab, "dpo", "device", "export", "SK-C-002", "--out", exportFile).code);
        Assert.Equal("SK-C-002", JsonDocument.Parse(File.ReadAllText(exportFile)).RootElement.GetProperty("serial").GetString());
        Assert.Equal("erased SK-C-002", Cli(lab, "dpo", "device", "erase", "SK-C-002").output.Trim());
        Assert.Null(lab.Core.Devices.Get("SK-C-002"));
        Assert.Equal(1, JsonDocument.Parse(Cli(lab, "alice", "counters").output).RootElement.GetProperty(Counters.UploadRefused).GetInt64());
        Assert.Equal(0, Cli(lab, "alice", "retention").code);
        Assert.Equal(2, CliApp.Run(new[] { "release", "list", "--server", "http://127.0.0.1:1", "--token-file", Path.Combine(lab.Directory, "alice.token") }, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void OperatorAccountsAreAddedListedAndRevokedAndTheCliKeepsItsTokenPrivate()
    {
        using var lab = new ServerLab(_backend);
        // The first admin is made on the database itself; its token is printed once, and only its hash is stored.
        var output = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "operator", "add", "root", "--role", "admin", "--db", lab.Options.Database }, output, new StringWriter()));
        string rootToken = output.ToString().Trim().Split('\n').Last();
        Assert.StartsWith("skop_", rootToken);
        using (var c = lab.Core.Database.Connect())
            Assert.DoesNotContain(rootToken, string.Join(" ", Dapper.SqlMapper.Query<string>(c, "SELECT token_sha256 || roles || name FROM operator_accounts")));
        string rootFile = Path.Combine(lab.Directory, "root.token");
        File.WriteAllText(rootFile, rootToken);
        OwnerOnly(rootFile);

        var add = CliWithTokenFile(lab, rootFile, "operator", "add", "carol", "--role", "approver", "--days", "30");
        Assert.Equal(0, add.code);
        string carol = add.output.Trim().Split('\n').Last();
        Assert.Equal(1, CliWithTokenFile(lab, rootFile, "operator", "add", "carol", "--role", "viewer").code);        // exists: revoke first
        Assert.Contains("unknown role 'superuser'", CliWithTokenFile(lab, rootFile, "operator", "add", "dave", "--role", "superuser").error);   // 400 from the server
        using (var list = JsonDocument.Parse(CliWithTokenFile(lab, rootFile, "operator", "list").output))
            Assert.Equal(new[] { "approver" }, list.RootElement.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "carol").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var audit = lab.Core.Audit.ForSubject("operator:carol").Single();
        Assert.Equal(("root", "account added", "admin"), (audit.Actor, audit.Action, audit.Role));

        using var asCarol = new System.Net.Http.HttpClient { BaseAddress = lab.Host.BaseAddress };
        asCarol.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", carol);
        Assert.Equal(HttpStatusCode.OK, asCarol.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asCarol.GetAsync("/api/operators").GetAwaiter().GetResult().StatusCode);
        Assert.Equal(0, CliWithTokenFile(lab, rootFile, "operator", "revoke", "carol").code);
        Assert.Equal(HttpStatusCode.Unauthorized, asCarol.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);
        Assert.Equal(1, CliWithTokenFile(lab, rootFile, "operator", "revoke", "carol").code);                          // not active any more

        // Tokens expire: a 1-day token is refused a day later.
        string shortLived = lab.Core.Accounts.Add("erin", new[] { "viewer" }, 1, "test");
        asCarol.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", shortLived);
        Assert.Equal(HttpStatusCode.OK, asCarol.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);
        lab.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.Unauthorized, asCarol.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);

        // A token file the group or others may read is refused with one line, before anything is sent.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(rootFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var open = CliWithTokenFile(lab, rootFile, "operator", "list");
        Assert.Equal(2, open.code);
        Assert.Equal($"error: token file {rootFile} may be read by others (mode 0644): chmod 600 {rootFile}", open.error.Trim());
    }

    [Fact]
    public void TheApiPublishesItsOpenApiDocumentAndMigrationsRunOnce()
    {
        using var lab = new ServerLab(_backend);
        using var http = lab.Http("reader", SmartKey.OtaServer.Auth.Roles.Viewer);
        var response = http.GetAsync("/openapi/v1.json").GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (string path in new[] { "/api/releases", "/api/rollouts", "/api/rollouts/{id}", "/api/rollouts/{id}/approve", "/api/rollouts/{id}/start", "/api/rollouts/{id}/pause",
                     "/api/rollouts/{id}/resume", "/api/rollouts/{id}/cancel", "/api/devices", "/api/devices/{serial}", "/api/devices/{serial}/export", "/api/devices/admit", "/api/counters" })
            Assert.Contains(path, paths);

        Assert.Equal(Database.Migrations().Count, Database.Migrations().Select(m => m.version).Distinct().Count());
        Assert.Equal(0, lab.Core.Database.Migrate(0));                  // applied at start, never again
        lab.Restart();
        Assert.Equal(0, lab.Core.Database.Migrate(0));
    }
}

public sealed class SqliteOperatorTests : OperatorTests
{
    public SqliteOperatorTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresOperatorTests : OperatorTests
{
    public PostgresOperatorTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
