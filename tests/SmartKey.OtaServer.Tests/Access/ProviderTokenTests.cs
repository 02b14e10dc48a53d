using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests.Access;

/// <summary>
/// The API against a real OpenID Connect provider (TestProvider: OpenIddict over HTTP on 127.0.0.1, discovery and
/// JWKS): its access tokens act in the roles they carry, as their subject; a token from another issuer, an expired
/// one, one for another audience, and a role that may not make the call are refused.
/// </summary>
public abstract class ProviderTokenTests
{
    private readonly Backend _backend;

    protected ProviderTokenTests(Backend backend) => _backend = backend;

    [Fact]
    public async Task ProviderTokensActInTheirRolesAndForeignExpiredOrMisdirectedTokensAreRefused()
    {
        await using var provider = await TestProvider.StartAsync();
        await using var foreign = await TestProvider.StartAsync();
        using var lab = new ServerLab(_backend, o => o.Auth.Authority = provider.Issuer);
        lab.Clock.Advance(DateTimeOffset.UtcNow - lab.Clock.GetUtcNow());        // the server's clock at the provider's (wall) time
        await provider.AddOperator("3f9c-release-manager", Roles.ReleaseManager);
        await provider.AddOperator("7d21-approver", Roles.Approver);
        await provider.AddOperator("b0e4-viewer", Roles.Viewer);
        await foreign.AddOperator("3f9c-release-manager", Roles.ReleaseManager);
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));

        using var manager = OperatorTokens.Client(lab.Host.BaseAddress, await provider.TokenFor("3f9c-release-manager"));
        var created = await manager.PostAsJsonAsync("/api/rollouts", new RolloutRequest { ReleaseId = release });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        long id = (await created.Content.ReadFromJsonAsync<Rollout>())!.Id;
        Assert.Equal("3f9c-release-manager", lab.Core.Rollouts.Get(id).CreatedBy);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync($"/api/rollouts/{id}/approve", null)).StatusCode);   // not an approver

        using var viewer = OperatorTokens.Client(lab.Host.BaseAddress, await provider.TokenFor("b0e4-viewer"));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/rollouts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/rollouts", new RolloutRequest { ReleaseId = release })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/rollouts/{id}/approve", null)).StatusCode);

        using var approver = OperatorTokens.Client(lab.Host.BaseAddress, await provider.TokenFor("7d21-approver"));
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsync($"/api/rollouts/{id}/approve", null)).StatusCode);
        var approved = lab.Core.Audit.ForSubject(RolloutService.Subject(id)).Single(a => a.Action == "approved");
        Assert.Equal(("7d21-approver", Roles.Approver), (approved.Actor, approved.Role));
        Assert.Equal(HttpStatusCode.Forbidden, (await approver.PostAsync($"/api/rollouts/{id}/pause", null)).StatusCode);

        // Refused with 401: another issuer's token (same subject, same role), a token for another audience, an expired token.
        using (var stranger = OperatorTokens.Client(lab.Host.BaseAddress, await foreign.TokenFor("3f9c-release-manager")))
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/rollouts")).StatusCode);
        using (var elsewhere = OperatorTokens.Client(lab.Host.BaseAddress, await provider.TokenFor("3f9c-release-manager", audience: "another-api")))
            Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/rollouts")).StatusCode);
        using (var shortLived = OperatorTokens.Client(lab.Host.BaseAddress, await provider.TokenFor("3f9c-release-manager", lifetimeSeconds: 60)))
        {
            Assert.Equal(HttpStatusCode.OK, (await shortLived.GetAsync("/api/rollouts")).StatusCode);
            lab.Clock.Advance(TimeSpan.FromMinutes(7));                             // past its end and the 5 minutes' clock skew allowed
            var expired = await shortLived.GetAsync("/api/rollouts");
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Equal("application/problem+json", expired.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(RolloutStates.Approved, lab.Core.Rollouts.Get(id).State);
    }
}

public sealed class SqliteProviderTokenTests : ProviderTokenTests
{
    public SqliteProviderTokenTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresProviderTokenTests : ProviderTokenTests
{
    public PostgresProviderTokenTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
