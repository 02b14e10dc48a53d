using System;
using System.Collections.Generic;

namespace SmartKey.OtaServer.Auth;

/// <summary>Who may call the server (docs/ota-server.md "Operators"): an OpenID Connect provider, local accounts, or both.</summary>
public sealed class AuthOptions
{
    /// <summary>The provider's issuer URL (its /.well-known/openid-configuration is read); null = local accounts only.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the provider writes into access tokens meant for this server.</summary>
    public string Audience { get; set; } = "smartkey-ota";

    /// <summary>The status page's client id at the provider (authorization code flow with PKCE); null = no provider sign-in on the page.</summary>
    public string? ClientId { get; set; }

    /// <summary>The claim that carries the operator's roles in the provider's tokens.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Accounts the server keeps itself (`operator add`); on by default, for one machine without a provider.</summary>
    public bool LocalAccounts { get; set; } = true;

    /// <summary>Host names the API and page answer to (the Host header); anything else is refused, against DNS rebinding.</summary>
    public List<string> AllowedHosts { get; set; } = new() { "127.0.0.1", "localhost", "[::1]" };

    /// <summary>Failed sign-ins and refused tokens allowed per client address in each FailureWindow; past it, 429 until the window is over.</summary>
    public int FailureLimit { get; set; } = 10;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Hours a status-page session lasts without use.</summary>
    public int SessionHours { get; set; } = 8;

    public bool ProviderIsLoopback => Authority != null && Uri.TryCreate(Authority, UriKind.Absolute, out var u) && u.IsLoopback;
}
