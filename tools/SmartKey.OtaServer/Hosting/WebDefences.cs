using System;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SmartKey.OtaServer.Auth;

namespace SmartKey.OtaServer.Hosting;

/// <summary>
/// The HTTP pipeline's order: problem details for every error (thrown, or a bare status such as 404, 405, 415),
/// the Host header checked against the configured names, refused credentials rate-limited, then who is calling
/// and what they may do.
/// </summary>
public static class WebDefences
{
    public static void AddWebDefences(IServiceCollection services, AuthOptions auth, OperatorAccounts accounts, TimeProvider clock)
    {
        services.AddProblemDetails();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "smartkey-ota-antiforgery";
            o.Cookie.HttpOnly = true;
            // The antiforgery system refuses to run at all over plain HTTP with Always; the session cookie is Secure always.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Lax, not Strict: a link from another site to the page would otherwise arrive without it and replace it, and the
            // open page's forms would be refused as stale. It is no credential; the session cookie stays Strict.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.Path = "/status";
            o.FormFieldName = "__antiforgery";
        });
        services.AddOperatorAuth(auth, accounts, clock);
    }

    public static void UseWebDefences(WebApplication app, AuthOptions auth, FailedCredentialLimit failures)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Host filtering (against DNS rebinding) as ASP.NET Core's HostFiltering matches names, but answered with a problem like every error.
        var hosts = auth.AllowedHosts.Select(h => new Microsoft.Extensions.Primitives.StringSegment(h)).ToList();
        app.Use(async (context, next) =>
        {
            if (!HostString.MatchesAny(context.Request.Host.Host, hosts))
            {
                await Results.Problem("the Host header names a host this server does not answer to", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }

            await next();
        });
        app.Use(failures.Guard);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
    }
}
