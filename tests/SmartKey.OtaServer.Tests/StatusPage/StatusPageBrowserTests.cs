using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Tests.Browser;
using SmartKey.OtaServer.Tests.Fixtures;
using SmartKey.OtaServer.Tests.Fleet;
using Xunit;

namespace SmartKey.OtaServer.Tests.StatusPage;

/// <summary>
/// The operator's status page in a real browser (headless chromium): the fleet overview, and a rollout taken
/// through approve → start → pause by clicking, with the creator's own approval refused as the API refuses it.
/// </summary>
public abstract class StatusPageBrowserTests
{
    private readonly Backend _backend;

    protected StatusPageBrowserTests(Backend backend) => _backend = backend;

    [Fact]
    public async Task An_operator_approves_starts_and_pauses_a_rollout_by_clicking()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "B", 6);
        fleet.Day();
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        var rollout = lab.Core.Rollouts.Create(new RolloutRequest
        {
            ReleaseId = release, Canary = new List<string> { "SK-B-001" }, Percents = new List<int> { 50, 100 }, SuccessPercent = 100, SoakDays = 1, MaxGroupDays = 30, MaxAttempts = 3,
        }, ServerLab.Creator);
        lab.WaitQuiet();

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, r) => requested.Add(r.Url);
        string baseUrl = lab.Host.BaseAddress.ToString().TrimEnd('/');
        // Not signed in: the page sends the browser to its sign-in form; a local account's token signs in.
        var response = await page.GotoAsync(baseUrl + "/status");
        Assert.Equal(baseUrl + "/status/signin?ReturnUrl=%2Fstatus", page.Url);
        await SignIn(page, lab.Token(ServerLab.Creator));
        Assert.Equal(baseUrl + "/status", page.Url);
        Assert.Equal(ServerLab.Creator, await page.InnerTextAsync("#subject"));

        // Fleet overview: counts per version and battery state, no serials.
        Assert.Equal("Fleet: 6 locks", await page.InnerTextAsync("#fleet h2"));
        Assert.Contains("1.0.0\t6", await page.InnerTextAsync("#versions"));
        Assert.Contains("ok\t6", await page.InnerTextAsync("#batteries"));
        Assert.DoesNotContain("SK-B-", await page.ContentAsync());
        string article = $"#rollout-{rollout.Id}";
        Assert.Equal(RolloutStates.Created, await page.InnerTextAsync($"{article} .state"));

        // The creator (who holds every role here) cannot approve their own rollout: the page says why, the state stays.
        await page.ClickAsync($"#approve-{rollout.Id}");
        Assert.Contains("another operator must approve it", await page.InnerTextAsync("#message"));
        Assert.Equal(RolloutStates.Created, lab.Core.Rollouts.Get(rollout.Id).State);

        await page.ClickAsync("#signout");
        await SignIn(page, lab.Token(ServerLab.Approver, Roles.Approver, Roles.ReleaseManager));
        foreach (var (action, state) in new[] { ("approve", RolloutStates.Approved), ("start", RolloutStates.Running), ("pause", RolloutStates.Paused) })
        {
            await page.ClickAsync($"#{action}-{rollout.Id}");
            await page.WaitForSelectorAsync($"{article} .state.{state}");
            Assert.Equal(state, lab.Core.Rollouts.Get(rollout.Id).State);
            Assert.Contains($"{action} by {ServerLab.Approver}", await page.InnerTextAsync("#message"));
        }

        Assert.Equal("Paused: paused by an operator", await page.InnerTextAsync($"#pause-reason-{rollout.Id}"));
        Assert.Equal(1, await page.Locator($"#resume-{rollout.Id}").CountAsync());
        Assert.Equal(0, await page.Locator($"#pause-{rollout.Id}").CountAsync());
        string groups = await page.InnerTextAsync($"{article} table");
        Assert.Contains("canary (current)", groups);

        string shot = Chromium.ArtifactPath("status-page-paused.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 1000);

        // Nothing but the server itself was fetched: no external stylesheet, script, font or image.
        Assert.NotEmpty(requested);
        Assert.All(requested, url => Assert.StartsWith(baseUrl + "/", url));
        var history = lab.Core.Rollouts.StatusOf(rollout.Id).History;
        Assert.Equal(new[] { "created", "approved", "started", "paused" }, history.Select(h => h.Action).Take(4));
        Assert.All(history.Skip(1), h => Assert.Equal(ServerLab.Approver, h.Actor));
        Assert.Equal(new[] { Roles.Approver, Roles.ReleaseManager, Roles.ReleaseManager }, history.Skip(1).Take(3).Select(h => h.Role));
    }

    /// <summary>The page's own sign-in form with a local account's token.</summary>
    public static async Task SignIn(IPage page, string token)
    {
        await page.FillAsync("#token", token);
        await page.ClickAsync("#signin");
        if (await page.Locator("#subject").CountAsync() == 0) throw new Xunit.Sdk.XunitException("not signed in: " + page.Url + "\n" + await page.ContentAsync());
    }
}

public sealed class SqliteStatusPageBrowserTests : StatusPageBrowserTests
{
    public SqliteStatusPageBrowserTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStatusPageBrowserTests : StatusPageBrowserTests
{
    public PostgresStatusPageBrowserTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
