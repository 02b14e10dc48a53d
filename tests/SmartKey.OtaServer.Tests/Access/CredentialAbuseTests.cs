using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests.Access;

/// <summary>Guessing credentials is slowed per client address, and no token or password ever reaches a log line.</summary>
public abstract class CredentialAbuseTests
{
    private readonly Backend _backend;

    protected CredentialAbuseTests(Backend backend) => _backend = backend;

    [Fact]
    public void RefusedTokensAndFailedSignInsAreRateLimitedPerClientAddress()
    {
        // A window far longer than the test, so that no refill falls inside it.
        using var lab = new ServerLab(_backend, o => { o.Auth.FailureLimit = 3; o.Auth.FailureWindow = TimeSpan.FromHours(1); });
        string good = lab.Token("alice", Roles.Viewer);
        using var anonymous = new HttpClient { BaseAddress = lab.Host.BaseAddress };
        for (int i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);   // no credential costs nothing

        using var guesser = OperatorTokens.Client(lab.Host.BaseAddress, "skop_guess-1");
        Assert.Equal(HttpStatusCode.Unauthorized, guesser.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, guesser.GetAsync("/api/releases").GetAwaiter().GetResult().StatusCode);
        using (var browser = new SignInForm(lab))
            Assert.Equal(HttpStatusCode.Unauthorized, browser.SignIn("skop_guess-2").StatusCode);                                          // the third failure

        var limited = guesser.GetAsync("/api/rollouts").GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromHours(1), limited.Headers.RetryAfter?.Delta);
        using (var browser = new SignInForm(lab))
            Assert.Equal(HttpStatusCode.TooManyRequests, browser.SignIn(good).StatusCode);
        using (var right = OperatorTokens.Client(lab.Host.BaseAddress, good))
            Assert.Equal(HttpStatusCode.TooManyRequests, right.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);          // the address, not the token
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/rollouts").GetAwaiter().GetResult().StatusCode);
    }

    [Fact]
    public async Task NoTokenOrPasswordReachesALogLine()
    {
        await using var provider = await TestProvider.StartAsync();
        await using var foreign = await TestProvider.StartAsync();
        var logs = new LogCapture();
        using var lab = new ServerLab(_backend, o =>
        {
            o.Auth.Authority = provider.Issuer;
            o.Logging = b =>
            {
                b.SetMinimumLevel(LogLevel.Trace);
                b.AddProvider(logs);
            };
        });
        lab.Clock.Advance(DateTimeOffset.UtcNow - lab.Clock.GetUtcNow());
        await provider.AddOperator("c4a1-release-manager", Roles.ReleaseManager);
        await foreign.AddOperator("c4a1-release-manager", Roles.ReleaseManager);
        string local = lab.Token("root", Roles.Admin, Roles.Viewer);
        string jwt = await provider.TokenFor("c4a1-release-manager");
        string misdirected = await provider.TokenFor("c4a1-release-manager", audience: "another-api");
        string foreignJwt = await foreign.TokenFor("c4a1-release-manager");
        const string guessed = "skop_not-a-real-token-0123456789";
        var secrets = new List<string> { local, jwt, misdirected, foreignJwt, guessed };

        foreach (string token in secrets)
        {
            using var http = OperatorTokens.Client(lab.Host.BaseAddress, token);
            http.GetAsync("/api/rollouts").GetAwaiter().GetResult();
            http.PostAsync("/api/rollouts", JsonContent.Create(new { releaseId = "0" })).GetAwaiter().GetResult();
        }

        using (var admin = OperatorTokens.Client(lab.Host.BaseAddress, local))
        {
            var issued = admin.PostAsJsonAsync("/api/operators", new { name = "zoe", roles = new[] { "viewer" } }).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            secrets.Add((await issued.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["token"]);
        }

        using (var browser = new SignInForm(lab))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, browser.SignIn(guessed + "-form").StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, browser.SignIn(local).StatusCode);
        }

        secrets.Add(guessed + "-form");
        var lines = logs.Lines;
        Assert.NotEmpty(lines);                                                 // Trace: the server said plenty
        Assert.Contains(lines, l => l.Contains("Bearer", StringComparison.Ordinal) || l.Contains("authentication", StringComparison.OrdinalIgnoreCase));
        foreach (string secret in secrets)
        {
            string signature = secret.Contains('.') ? secret[(secret.LastIndexOf('.') + 1)..] : secret[5..];
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal) || l.Contains(signature, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, l => l.Contains("skop_", StringComparison.Ordinal));
    }

    /// <summary>The status page's sign-in form as a browser sends it: its antiforgery cookie and field, then the token.</summary>
    private sealed class SignInForm : IDisposable
    {
        private readonly HttpClient _http;

        public SignInForm(ServerLab lab) =>
            _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = lab.Host.BaseAddress };

        public HttpResponseMessage SignIn(string token)
        {
            string page = _http.GetStringAsync("/status/signin").GetAwaiter().GetResult();
            string antiforgery = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__antiforgery\" value=\"([^\"]+)\"").Groups[1].Value);
            return _http.PostAsync("/status/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["__antiforgery"] = antiforgery })).GetAwaiter().GetResult();
        }

        public void Dispose() => _http.Dispose();
    }
}

public sealed class SqliteCredentialAbuseTests : CredentialAbuseTests
{
    public SqliteCredentialAbuseTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCredentialAbuseTests : CredentialAbuseTests
{
    public PostgresCredentialAbuseTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
