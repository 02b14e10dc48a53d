using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace SmartKey.OtaServer.Tests.Access;

/// <summary>
/// Every endpoint with no credential (401), with a role that may not make the call (403) and with the role that
/// may (served); every error path as RFC 9457 problem details; and the OpenAPI document held against what the tests
/// saw: each code an operation answered is in the document.
/// </summary>
public abstract class ApiAccessTests
{
    private readonly Backend _backend;
    private readonly ITestOutputHelper _output;

    protected ApiAccessTests(Backend backend, ITestOutputHelper output)
    {
        _backend = backend;
        _output = output;
    }

    /// <summary>One call: its OpenAPI path and method, the concrete path, a body, the roles the API gives it, one role it refuses (null: every role may) and the code the right role gets.</summary>
    private sealed record Call(string Method, string Template, string Path, Func<HttpContent?> Body, string Right, string? Wrong, int Served);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Image(byte[] bytes) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    [Fact]
    public void EveryEndpointRefusesNoCredentialAndTheWrongRoleAndServesTheRightRole()
    {
        using var lab = new ServerLab(_backend);
        lab.Admit(new[] { "SK-A-001", "SK-A-002" });
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        var rollout = lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = release }, "alice");
        long id = rollout.Id;
        var tokens = new Dictionary<string, string>
        {
            [Roles.Viewer] = lab.Token("vera", Roles.Viewer), [Roles.ReleaseManager] = lab.Token("alice", Roles.ReleaseManager), [Roles.Approver] = lab.Token("bob", Roles.Approver),
            [Roles.PrivacyOfficer] = lab.Token("dpo", Roles.PrivacyOfficer), [Roles.Admin] = lab.Token("root", Roles.Admin),
        };
        var calls = new[]
        {
            new Call("GET", "/api/releases", "/api/releases", () => null, Roles.Viewer, null, 200),
            new Call("POST", "/api/releases", "/api/releases", () => Image(TestKeys.Image("1.2.0", counter: 2)), Roles.ReleaseManager, Roles.Viewer, 201),
            new Call("GET", "/api/rollouts", "/api/rollouts", () => null, Roles.Viewer, null, 200),
            new Call("POST", "/api/rollouts", "/api/rollouts", () => Json("{\"releaseId\":\"" + release + "\"}"), Roles.ReleaseManager, Roles.Approver, 201),
            new Call("GET", "/api/rollouts/{id}", $"/api/rollouts/{id}", () => null, Roles.Viewer, null, 200),
            new Call("POST", "/api/rollouts/{id}/approve", $"/api/rollouts/{id}/approve", () => null, Roles.Approver, Roles.ReleaseManager, 200),
            new Call("POST", "/api/rollouts/{id}/start", $"/api/rollouts/{id}/start", () => null, Roles.ReleaseManager, Roles.Viewer, 200),
            new Call("POST", "/api/rollouts/{id}/pause", $"/api/rollouts/{id}/pause", () => null, Roles.ReleaseManager, Roles.Approver, 200),
            new Call("POST", "/api/rollouts/{id}/resume", $"/api/rollouts/{id}/resume", () => null, Roles.ReleaseManager, Roles.Approver, 200),
            new Call("POST", "/api/rollouts/{id}/cancel", $"/api/rollouts/{id}/cancel", () => null, Roles.ReleaseManager, Roles.Viewer, 200),
            new Call("GET", "/api/devices", "/api/devices", () => null, Roles.ReleaseManager, Roles.Viewer, 200),
            new Call("GET", "/api/devices/{serial}", "/api/devices/SK-A-001", () => null, Roles.Admin, Roles.Approver, 200),
            new Call("GET", "/api/devices/{serial}/export", "/api/devices/SK-A-001/export", () => null, Roles.PrivacyOfficer, Roles.Admin, 200),
            new Call("DELETE", "/api/devices/{serial}", "/api/devices/SK-A-002", () => null, Roles.PrivacyOfficer, Roles.Admin, 204),
            new Call("POST", "/api/devices/admit", "/api/devices/admit", () => Json("[" + TestKeys.Record("SK-A-003") + "]"), Roles.Admin, Roles.PrivacyOfficer, 200),
            new Call("GET", "/api/counters", "/api/counters", () => null, Roles.Viewer, null, 200),
            new Call("GET", "/api/audit", "/api/audit", () => null, Roles.Admin, Roles.Viewer, 200),
            new Call("POST", "/api/retention", "/api/retention", () => null, Roles.PrivacyOfficer, Roles.Admin, 200),
            new Call("GET", "/api/operators", "/api/operators", () => null, Roles.Admin, Roles.ReleaseManager, 200),
            new Call("POST", "/api/operators", "/api/operators", () => Json("{\"name\":\"zed\",\"roles\":[\"viewer\"],\"days\":7}"), Roles.Admin, Roles.Viewer, 201),
            new Call("DELETE", "/api/operators/{name}", "/api/operators/zed", () => null, Roles.Admin, Roles.PrivacyOfficer, 204),
            new Call("GET", "", "/openapi/v1.json", () => null, Roles.Viewer, null, 200),
            new Call("GET", "", "/status", () => null, Roles.Viewer, null, 200),
        };

        var seen = new List<(string method, string template, int code)>();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = lab.Host.BaseAddress };
        _output.WriteLine("| endpoint | role needed | no credential | wrong role | right role |");
        _output.WriteLine("|---|---|---|---|---|");
        foreach (var call in calls)
        {
            int none = Send(anonymous, call.Method, call.Path, call.Body());
            int wrong = 0;
            if (call.Wrong != null)
            {
                using var w = OperatorTokens.Client(lab.Host.BaseAddress, tokens[call.Wrong]);
                wrong = Send(w, call.Method, call.Path, call.Body());
            }

            using var r = OperatorTokens.Client(lab.Host.BaseAddress, tokens[call.Right]);
            int right = Send(r, call.Method, call.Path, call.Body());
            // The status page sends a browser without a session to its sign-in; everything else answers 401.
            Assert.Equal(call.Path == "/status" ? 302 : 401, none);
            if (call.Wrong != null) Assert.Equal(403, wrong);
            Assert.Equal(call.Served, right);
            if (call.Template.Length > 0)
            {
                seen.Add((call.Method, call.Template, none));
                if (call.Wrong != null) seen.Add((call.Method, call.Template, wrong));
                seen.Add((call.Method, call.Template, right));
            }

            _output.WriteLine($"| {call.Method} {(call.Template.Length > 0 ? call.Template : call.Path)} | {call.Right} | {none} | {(call.Wrong == null ? "— (every role reads)" : wrong + " as " + call.Wrong)} | {right} |");
        }

        Assert.Equal(200, Send(anonymous, "GET", "/health", null));               // the one answer without credentials
        seen.Add(("GET", "/health", 200));
        var audit = lab.Core.Audit.All();
        Assert.Contains(audit, a => a.Action == "approved" && a.Actor == "bob" && a.Role == Roles.Approver && a.Subject == RolloutService.Subject(id) && a.At > 0);
        Assert.Contains(audit, a => a.Action == "erased" && a.Actor == "dpo" && a.Role == Roles.PrivacyOfficer && !a.Detail.Contains("SK-A-002") && !a.Subject.Contains("SK-A-002"));
        Assert.Contains(audit, a => a.Action == "admitted" && a.Actor == "root" && a.Role == Roles.Admin);
        Assert.Contains(audit, a => a.Action == "added" && a.Actor == "alice" && a.Role == Roles.ReleaseManager);
        AllInTheDocument(lab, tokens[Roles.Viewer], seen);
    }

    [Fact]
    public void EveryErrorIsProblemDetailsAndInTheDocument()
    {
        using var lab = new ServerLab(_backend, o => o.MaxImageBytes = 64 * 1024);
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        var cancelled = lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = release }, "carol");
        lab.Core.Rollouts.Cancel(cancelled.Id, "carol");
        using var http = lab.Http();
        var seen = new List<(string method, string template, int code)>();
        var cases = new (string method, string template, string path, HttpContent? body, int code)[]
        {
            ("POST", "/api/rollouts", "/api/rollouts", Json("{\"releaseId\": "), 400),                                      // malformed JSON
            ("POST", "/api/rollouts", "/api/rollouts", Json("{\"releaseId\": 5, \"successPercent\": \"most\"}"), 400),      // wrong types
            ("POST", "/api/rollouts", "/api/rollouts", Json("{\"releaseId\": \"" + new string('0', 64) + "\"}"), 404),       // no such release
            ("POST", "/api/rollouts", "/api/rollouts", new StringContent("releaseId=1", Encoding.UTF8, "text/plain"), 415),
            ("POST", "/api/releases", "/api/releases", Image(new byte[64 * 1024 + 64 * 1024 + 1]), 413),
            ("POST", "/api/releases", "/api/releases", Image(TestKeys.Unsigned("1.2.0")), 422),
            ("POST", "/api/rollouts/{id}/resume", $"/api/rollouts/{cancelled.Id}/resume", null, 409),
            ("POST", "/api/rollouts/{id}/approve", "/api/rollouts/999/approve", null, 404),
            ("GET", "/api/devices/{serial}", "/api/devices/SK-NONE", null, 404),
            ("POST", "/api/devices/admit", "/api/devices/admit", Json("{not json"), 400),
            ("POST", "/api/operators", "/api/operators", Json("{\"name\":\"x\",\"roles\":[\"root\"]}"), 400),
            ("DELETE", "/api/operators/{name}", "/api/operators/nobody", null, 404),
            ("", "", "/api/rollouts/abc", null, 404),                                                                      // the route's constraint
            ("", "", "/api/no-such-thing", null, 404),
            ("PUT", "", "/api/releases", null, 405),
        };
        foreach (var (method, template, path, body, code) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method.Length > 0 ? method : "GET"), path) { Content = body };
            using var response = http.Send(request);
            Assert.True(code == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode}, expected {code}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            Assert.Equal(code, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
            if (template.Length > 0) seen.Add((method, template, code));
        }

        // A Host the server does not answer to (DNS rebinding) is refused before anything else, also as a problem.
        using (var rebound = new HttpRequestMessage(HttpMethod.Get, "/health"))
        {
            rebound.Headers.Host = "ota.attacker.example";
            using var response = http.Send(rebound);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        AllInTheDocument(lab, lab.Token(), seen);
    }

    private static int Send(HttpClient http, string method, string path, HttpContent? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
        using var response = http.Send(request);
        int code = (int)response.StatusCode;
        if (code is 401 or 403) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return code;
    }

    /// <summary>Each code an operation was seen to answer is one of the document's responses for it; errors have the problem schema; the security scheme is there.</summary>
    private static void AllInTheDocument(ServerLab lab, string token, IEnumerable<(string method, string template, int code)> seen)
    {
        using var http = OperatorTokens.Client(lab.Host.BaseAddress, token);
        using var doc = JsonDocument.Parse(http.GetStringAsync("/openapi/v1.json").GetAwaiter().GetResult());
        var root = doc.RootElement;
        Assert.Equal("http", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("type").GetString());
        foreach (var (method, template, code) in seen.Distinct())
        {
            var operation = root.GetProperty("paths").GetProperty(template).GetProperty(method.ToLowerInvariant());
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty(code.ToString(), out var response), $"{method} {template} answered {code}, which its OpenAPI description does not list");
            if (code >= 400) Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {template} {code}: no problem schema");
            if (template != "/health") Assert.True(operation.GetProperty("security").GetArrayLength() > 0, $"{method} {template}: no security requirement");
        }

        var admit = root.GetProperty("paths").GetProperty("/api/devices/admit").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", admit.GetProperty("type").GetString());
    }
}

public sealed class SqliteApiAccessTests : ApiAccessTests
{
    public SqliteApiAccessTests(ITestOutputHelper output) : base(new SqliteBackend(), output) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiAccessTests : ApiAccessTests
{
    public PostgresApiAccessTests(PostgresServer server, ITestOutputHelper output) : base(new PostgresBackend(server), output) { }
}
