using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Tests.Browser;
using SmartKey.OtaServer.Tests.Fixtures;
using SmartKey.OtaServer.Tests.StatusPage;
using Xunit;

namespace SmartKey.OtaServer.Tests.Access;

/// <summary>
/// The status page's sign-in and its defences in chromium: the provider's authorization code flow with PKCE,
/// the session cookie's attributes, and forms that come from another site or without the page's antiforgery
/// token refused.
/// </summary>
public abstract class StatusPageSignInTests
{
    private readonly Backend _backend;

    protected StatusPageSignInTests(Backend backend) => _backend = backend;

    [Fact]
    public async Task An_operator_signs_in_with_the_providers_code_flow_and_PKCE_and_approves()
    {
        await using var provider = await TestProvider.StartAsync();
        using var lab = new ServerLab(_backend, o =>
        {
            o.Auth.Authority = provider.Issuer;
            o.Auth.ClientId = TestProvider.StatusPageClient;
        });
        lab.Clock.Advance(DateTimeOffset.UtcNow - lab.Clock.GetUtcNow());        // the server's clock at the provider's (wall) time
        await provider.AddStatusPage(lab.Host.BaseAddress);
        provider.AddUser("5a8e-carol", Roles.Approver);
        var rollout = lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2)) }, ServerLab.Creator);

        await using var chromium = await Chromium.LaunchAsync();
        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var authorize = new List<string>();
        page.Request += (_, r) => { if (r.Url.Contains("/connect/authorize", StringComparison.Ordinal)) authorize.Add(r.Url); };
        string baseUrl = lab.Host.BaseAddress.ToString().TrimEnd('/');
        await page.GotoAsync(baseUrl + "/status");
        await page.ClickAsync("#provider");
        await page.FillAsync("#username", "5a8e-carol");
        await page.ClickAsync("#provider-signin");
        await page.WaitForSelectorAsync("#subject");
        Assert.Equal(baseUrl + "/status", page.Url);
        Assert.Equal("5a8e-carol", await page.InnerTextAsync("#subject"));

        // The code flow with PKCE: the browser was sent with a S256 challenge and asked for a code.
        var first = new Uri(authorize.First());
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(first.Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["code_challenge"].ToString()));

        // The session cookie: Secure, HttpOnly, SameSite=Strict; no provider token in it or anywhere on the page.
        var session = (await context.CookiesAsync()).Single(c => c.Name == OperatorAuth.SessionCookieName);
        Assert.True(session.Secure && session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);

        // An approver sees approve (not cancel, a release manager's button), and approving records the subject.
        Assert.Equal(0, await page.Locator($"#cancel-{rollout.Id}").CountAsync());
        await page.ClickAsync($"#approve-{rollout.Id}");
        await page.WaitForSelectorAsync($"#rollout-{rollout.Id} .state.{RolloutStates.Approved}");
        Assert.Equal("5a8e-carol", lab.Core.Rollouts.Get(rollout.Id).ApprovedBy);
    }

    [Fact]
    public async Task A_form_from_another_site_or_without_the_pages_token_cannot_approve_a_rollout()
    {
        using var lab = new ServerLab(_backend);
        var rollout = lab.Core.Rollouts.Create(new RolloutRequest { ReleaseId = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2)) }, ServerLab.Creator);
        string target = lab.Host.BaseAddress.ToString().TrimEnd('/') + $"/status/rollouts/{rollout.Id}";
        await using var attacker = await AttackerSite.StartAsync(target);

        await using var chromium = await Chromium.LaunchAsync();
        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(lab.Host.BaseAddress + "status");
        await StatusPageBrowserTests.SignIn(page, lab.Token(ServerLab.Approver, Roles.Approver));
        Assert.Equal(1, await page.Locator($"#approve-{rollout.Id}").CountAsync());

        // The signed-in operator visits another site, whose page posts a form to the status page at once.
        var attack = await context.NewPageAsync();
        var posted = attack.WaitForRequestFinishedAsync(new PageWaitForRequestFinishedOptions { Predicate = r => r.Url == target });
        await attack.GotoAsync(attacker.Url);
        var post = await posted;
        var answer = await post.ResponseAsync();
        bool approvedAndRedirected = answer!.Status == 302 && answer.Headers.TryGetValue("location", out var to) && to.StartsWith("/status?done", StringComparison.Ordinal);
        Assert.False(approvedAndRedirected);
        Assert.Equal(RolloutStates.Created, lab.Core.Rollouts.Get(rollout.Id).State);

        // Even with the session cookie (sent here by the browser's own API client), another Origin or a missing token is refused.
        string token = await page.GetAttributeAsync("input[name=__antiforgery]", "value") ?? throw new InvalidOperationException("no antiforgery field");
        var fromElsewhere = await context.APIRequest.PostAsync(target, new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Origin"] = attacker.Url.TrimEnd('/') },
            Form = Form(context.APIRequest, ("action", "approve"), ("__antiforgery", token)), MaxRedirects = 0,
        });
        Assert.Equal(403, fromElsewhere.Status);
        Assert.Contains("from another site", await fromElsewhere.TextAsync());
        var withoutToken = await context.APIRequest.PostAsync(target, new APIRequestContextOptions { Form = Form(context.APIRequest, ("action", "approve")), MaxRedirects = 0 });
        Assert.Equal(403, withoutToken.Status);
        Assert.Contains("the form is stale or was not sent by this page", await withoutToken.TextAsync());
        Assert.Equal(RolloutStates.Created, lab.Core.Rollouts.Get(rollout.Id).State);

        // The page itself still works: the same approval from its own form goes through.
        await page.ClickAsync($"#approve-{rollout.Id}");
        await page.WaitForSelectorAsync($"#rollout-{rollout.Id} .state.{RolloutStates.Approved}");
        Assert.Equal(ServerLab.Approver, lab.Core.Rollouts.Get(rollout.Id).ApprovedBy);
    }

    private static IFormData Form(IAPIRequestContext api, params (string name, string value)[] fields)
    {
        var form = api.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        return form;
    }

    /// <summary>Another site (http://localhost:port, not the page's 127.0.0.1) whose page submits a form to the status page as soon as it loads.</summary>
    private sealed class AttackerSite : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private AttackerSite(WebApplication app) => _app = app;

        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("127.0.0.1", "localhost") + "/";

        public static async Task<AttackerSite> StartAsync(string target)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            string html = "<!DOCTYPE html><html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"" + target +
                          "\"><input name=\"action\" value=\"approve\"></form></body></html>";
            app.MapGet("/", () => Results.Content(html, "text/html"));
            await app.StartAsync();
            return new AttackerSite(app);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

public sealed class SqliteStatusPageSignInTests : StatusPageSignInTests
{
    public SqliteStatusPageSignInTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStatusPageSignInTests : StatusPageSignInTests
{
    public PostgresStatusPageSignInTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
