using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Auth;

/// <summary>
/// Who is calling: a bearer token (the server's own "skop_…" tokens, or a JWT from the configured OpenID Connect
/// provider, checked for issuer, signature, audience and lifetime), or, on the status page only, the session
/// cookie its sign-in set. Every endpoint but /health needs one of them (the fallback policy).
/// </summary>
public static class OperatorAuth
{
    public const string Selector = "operator";
    public const string Cookie = "session";
    public const string Provider = "oidc";
    public const string SessionCookieName = "smartkey-ota-session";

    public static void AddOperatorAuth(this IServiceCollection services, AuthOptions options, OperatorAccounts accounts, TimeProvider clock)
    {
        services.AddSingleton(accounts);
        var auth = services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "bearer token or the status page's session", o => o.ForwardDefaultSelector = context => Pick(context, options))
            .AddScheme<AuthenticationSchemeOptions, LocalTokenHandler>(LocalTokenHandler.SchemeName, null)
            .AddCookie(Cookie, o =>
            {
                o.Cookie.Name = SessionCookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.Path = "/status";
                o.ExpireTimeSpan = TimeSpan.FromHours(options.SessionHours);
                o.SlidingExpiration = true;
                o.LoginPath = "/status/signin";
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            });
        if (options.Authority != null)
        {
            auth.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.Authority = options.Authority;
                o.Audience = options.Audience;
                o.RequireHttpsMetadata = !options.ProviderIsLoopback;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = OperatorIdentity.SubjectClaim;
                o.TokenValidationParameters.RoleClaimType = options.RoleClaim;
                o.TokenValidationParameters.ValidAudience = options.Audience;
                o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, p) => Lifetime(clock, notBefore, expires, p);
            });
            if (options.ClientId != null)
            {
                auth.AddOpenIdConnect(Provider, o =>
                {
                    o.Authority = options.Authority;
                    o.ClientId = options.ClientId;
                    o.RequireHttpsMetadata = !options.ProviderIsLoopback;
                    o.ResponseType = OpenIdConnectResponseType.Code;
                    o.UsePkce = true;
                    o.CallbackPath = "/status/signin-oidc";
                    o.SignInScheme = Cookie;
                    o.SaveTokens = false;
                    o.MapInboundClaims = false;
                    o.GetClaimsFromUserInfoEndpoint = false;
                    o.Scope.Clear();
                    o.Scope.Add("openid");
                    o.Scope.Add("roles");
                    o.TokenValidationParameters.NameClaimType = OperatorIdentity.SubjectClaim;
                    o.TokenValidationParameters.RoleClaimType = options.RoleClaim;
                    o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, p) => Lifetime(clock, notBefore, expires, p);
                    o.CorrelationCookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
                    o.NonceCookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
                    // The session keeps the subject and roles only, never the provider's tokens.
                    o.Events.OnTicketReceived = c =>
                    {
                        c.Principal = OperatorIdentity.Session(c.Principal!, options.RoleClaim, Provider);
                        return Task.CompletedTask;
                    };
                });
            }
        }

        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder(Selector).RequireAuthenticatedUser().Build());
    }

    private static string Pick(HttpContext context, AuthOptions options)
    {
        string? token = OperatorIdentity.BearerToken(context.Request);
        if (token != null)
        {
            bool local = token.StartsWith(OperatorAccounts.TokenPrefix, StringComparison.Ordinal) && options.LocalAccounts;
            return local || options.Authority == null ? LocalTokenHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme;
        }

        // The page's cookie is only sent to /status (its path): the API never acts on a cookie, so no cross-site form reaches it.
        return context.Request.Path.StartsWithSegments("/status") ? Cookie : LocalTokenHandler.SchemeName;
    }

    private static bool Lifetime(TimeProvider clock, DateTime? notBefore, DateTime? expires, TokenValidationParameters p)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (expires == null) return false;
        if (notBefore != null && notBefore.Value > now + p.ClockSkew) return false;
        return expires.Value > now - p.ClockSkew;
    }

    /// <summary>
    /// The endpoint needs one of these roles (403 without). The first one the operator holds is the role the call
    /// is made in: the audit row of a change records it.
    /// </summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(new AuthorizationPolicyBuilder(Selector).RequireAuthenticatedUser().RequireRole(roles).Build());
        builder.WithMetadata(new RolesMetadata(roles));
        builder.AddEndpointFilter(async (context, next) =>
        {
            AuditLog.Role = OperatorIdentity.RoleUsed(context.HttpContext.User, roles);
            try
            {
                return await next(context);
            }
            finally
            {
                AuditLog.Role = null;
            }
        });
        return builder;
    }

    /// <summary>The roles an endpoint accepts (read by the OpenAPI description and the docs' table).</summary>
    public sealed record RolesMetadata(string[] Roles);
}
