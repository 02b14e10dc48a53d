using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SmartKey.OtaServer.Tests.Access;

/// <summary>
/// A real OpenID Connect provider for the tests (OpenIddict on Kestrel, 127.0.0.1, a free port): discovery, JWKS,
/// a token endpoint for the client-credentials grant (each test operator is a client whose id is its subject, with
/// the roles the test gave it) and the authorization code flow with PKCE for the status page, whose sign-in form
/// asks only for a user name. Tokens are signed JWTs with the provider's own (ephemeral) key.
/// A token request may ask for another audience ("test_audience") or a short life ("lifetime_seconds"), for the refusal tests.
/// </summary>
public sealed class TestProvider : IAsyncDisposable
{
    public const string Secret = "test-client-secret";
    public const string StatusPageClient = "status-page";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string[]> _roles = new();

    private TestProvider(WebApplication app) => _app = app;

    /// <summary>The issuer (and authority) URL, ending in '/'.</summary>
    public string Issuer => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";

    public static async Task<TestProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        string store = "provider-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<DbContext>(o =>
        {
            o.UseInMemoryDatabase(store);
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris("connect/token").SetAuthorizationEndpointUris("connect/authorize");
                o.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Roles);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(10));
                o.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        var provider = new TestProvider(app);
        app.MapPost("/connect/token", (Func<HttpContext, Task<IResult>>)provider.Token);
        app.MapMethods("/connect/authorize", new[] { "GET", "POST" }, (Func<HttpContext, Task<IResult>>)provider.Authorize);
        await app.StartAsync();
        return provider;
    }

    /// <summary>A client for the client-credentials grant: its id is the token's subject, and its tokens carry these roles.</summary>
    public async Task AddOperator(string subject, params string[] roles)
    {
        _roles[subject] = roles;
        using var scope = _app.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = subject, ClientSecret = Secret, ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        });
    }

    /// <summary>A user of the status page's sign-in (the code flow), with roles.</summary>
    public void AddUser(string subject, params string[] roles) => _roles[subject] = roles;

    /// <summary>The status page as a public client: code flow, PKCE required, redirected to the server's callback only.</summary>
    public async Task AddStatusPage(Uri server)
    {
        using var scope = _app.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = StatusPageClient, ClientType = ClientTypes.Public,
            RedirectUris = { new Uri(server, "/status/signin-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + Scopes.Roles,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    /// <summary>A real access token from the token endpoint over HTTP (client credentials).</summary>
    public async Task<string> TokenFor(string subject, string? audience = null, int? lifetimeSeconds = null)
    {
        using var http = new System.Net.Http.HttpClient();
        var form = new System.Collections.Generic.Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials, ["client_id"] = subject, ["client_secret"] = Secret,
        };
        if (audience != null) form["test_audience"] = audience;
        if (lifetimeSeconds != null) form["lifetime_seconds"] = lifetimeSeconds.Value.ToString();
        var response = await http.PostAsync(Issuer + "connect/token", new System.Net.Http.FormUrlEncodedContent(form));
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException("the provider refused a token: " + body);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<IResult> Token(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        ClaimsPrincipal principal;
        if (request.IsClientCredentialsGrantType())
        {
            principal = Principal(request.ClientId!, Array.Empty<string>());
        }
        else if (request.IsAuthorizationCodeGrantType())
        {
            principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
        }
        else
        {
            return Results.BadRequest();
        }

        principal.SetResources(request["test_audience"]?.ToString() ?? "smartkey-ota");
        if (request["lifetime_seconds"]?.ToString() is { } seconds) principal.SetAccessTokenLifetime(TimeSpan.FromSeconds(int.Parse(seconds)));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        string? user = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync())["username"].ToString() : null;
        if (string.IsNullOrEmpty(user))
        {
            var page = new StringBuilder("<!DOCTYPE html><html><head><title>Test provider: sign in</title></head><body><form method=\"post\" action=\"/connect/authorize\">");
            foreach (var parameter in request.GetParameters())
                page.Append("<input type=\"hidden\" name=\"").Append(WebUtility.HtmlEncode(parameter.Key)).Append("\" value=\"").Append(WebUtility.HtmlEncode(parameter.Value.ToString())).Append("\">");
            page.Append("<label>User <input name=\"username\" id=\"username\"></label><button type=\"submit\" id=\"provider-signin\">Sign in</button></form></body></html>");
            return Results.Content(page.ToString(), "text/html");
        }

        var principal = Principal(user, request.GetScopes().ToArray());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private ClaimsPrincipal Principal(string subject, string[] scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject);
        identity.SetClaims(Claims.Role, _roles.TryGetValue(subject, out var roles) ? System.Collections.Immutable.ImmutableArray.Create(roles) : System.Collections.Immutable.ImmutableArray<string>.Empty);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetDestinations(_ => new[] { Destinations.AccessToken, Destinations.IdentityToken });
        return principal;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
