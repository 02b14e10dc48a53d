using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
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
        services.Configure<HostFilteringOptions>(o =>
        {
            o.AllowedHosts = auth.AllowedHosts;
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false;
        });
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

    public static void UseWebDefences(WebApplication app, FailedCredentialLimit failures)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            await next();
            // Host filtering answers a foreign Host with a bare 400 (Content-Length: 0); give it the problem body every error has.
            if (context.Response is { StatusCode: 400, HasStarted: false, ContentLength: 0 })
            {
                context.Response.ContentLength = null;
                await Results.Problem("the Host header names a host this server does not answer to", statusCode: 400).ExecuteAsync(context);
            }
        });
        app.UseHostFiltering();
        app.Use(failures.Guard);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
    }
}
