using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.StatusPage;

/// <summary>
/// GET /status renders the page for a signed-in operator (any role); POST /status/rollouts/{id} (form: action)
/// runs the same RolloutService operation the API runs, as the signed-in subject, for the roles the API needs, so
/// the approval rules are the same; a refusal is shown on the page with the API's status code. Every form carries
/// an antiforgery token and must come from the page's own origin; the session cookie is SameSite=Strict.
/// Sign-in: a local account's token (POST /status/signin), or the provider's code flow with PKCE.
/// </summary>
public static class StatusPageEndpoints
{
    private const string Csp = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app, OtaServerCore core, AuthOptions auth)
    {
        app.MapGet("/status", (HttpContext context) => Page(context, core, context.Request.Query["done"], false, StatusCodes.Status200OK))
            .RequireRoles(Roles.Readers).ExcludeFromDescription();
        app.MapPost("/status/rollouts/{id:long}", async (long id, HttpContext context) =>
        {
            if (await Refused(context) is { } refusal) return Page(context, core, refusal, true, StatusCodes.Status403Forbidden);
            var form = await context.Request.ReadFormAsync();
            string action = form["action"].ToString();
            string actor = OperatorIdentity.Subject(context.User);
            string? role = OperatorIdentity.RoleUsed(context.User, RolloutActions.RolesFor(action));
            if (role == null) return Page(context, core, $"{action}: your roles do not allow it", true, StatusCodes.Status403Forbidden);
            try
            {
                AuditLog.Role = role;
                var rollout = action switch
                {
                    "approve" => core.Rollouts.Approve(id, actor),
                    "start" => core.Rollouts.Start(id, actor),
                    "pause" => core.Rollouts.Pause(id, actor),
                    "resume" => core.Rollouts.Resume(id, actor),
                    "cancel" => core.Rollouts.Cancel(id, actor),
                    _ => throw new ArgumentException("unknown action: " + action),
                };
                // Post/redirect/get: a reload does not repeat the action.
                return Results.Redirect("/status?done=" + Uri.EscapeDataString($"rollout {id}: {action} by {actor} ({rollout.State})"), permanent: false, preserveMethod: false);
            }
            catch (OperationException e)
            {
                return Page(context, core, e.Message, true, e.Status);
            }
            catch (ArgumentException e)
            {
                return Page(context, core, e.Message, true, StatusCodes.Status400BadRequest);
            }
            finally
            {
                AuditLog.Role = null;
            }
        }).ExcludeFromDescription();

        app.MapGet("/status/signin", (HttpContext context) => SignInPage(context, auth, null, StatusCodes.Status200OK)).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/status/signin", async (HttpContext context) =>
        {
            if (await Refused(context) is { } refusal) return SignInPage(context, auth, refusal, StatusCodes.Status403Forbidden);
            var form = await context.Request.ReadFormAsync();
            var account = auth.LocalAccounts ? core.Accounts.Authenticate(form["token"].ToString()) : null;
            if (account == null)
            {
                context.Items[FailedCredentialLimit.FailedSignIn] = true;
                return SignInPage(context, auth, "unknown, expired or revoked token", StatusCodes.Status401Unauthorized);
            }

            await context.SignInAsync(OperatorAuth.Cookie, OperatorIdentity.Local(account, OperatorAuth.Cookie));
            return Results.Redirect("/status");
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/status/signin/provider", () => auth.ClientId == null
                ? Results.NotFound()
                : Results.Challenge(new AuthenticationProperties { RedirectUri = "/status" }, new[] { OperatorAuth.Provider }))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/status/signout", async (HttpContext context) =>
        {
            if (await Refused(context) is { } refusal) return Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden);
            await context.SignOutAsync(OperatorAuth.Cookie);
            return Results.Redirect("/status/signin");
        }).ExcludeFromDescription();
    }

    /// <summary>Why a form post is refused: it came from another origin, or without this page's antiforgery token; null when it may go on.</summary>
    private static async Task<string?> Refused(HttpContext context)
    {
        var request = context.Request;
        string self = request.Scheme + "://" + request.Host.Value;
        string? origin = request.Headers.Origin;
        if (origin != null && !string.Equals(origin, self, StringComparison.OrdinalIgnoreCase)) return "refused: the form was sent from another site (" + origin + ")";
        string? site = request.Headers["Sec-Fetch-Site"];
        if (site != null && site != "same-origin" && site != "none") return "refused: the form was sent from another site";
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return "refused: the form is stale or was not sent by this page; reload the page and try again";
        }
    }

    private static IResult SignInPage(HttpContext context, AuthOptions auth, string? message, int status)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        context.Response.Headers.ContentSecurityPolicy = Csp;
        return Results.Content(StatusHtml.SignIn(message, auth.ClientId != null, auth.LocalAccounts, tokens.RequestToken!), "text/html; charset=utf-8", statusCode: status);
    }

    private static IResult Page(HttpContext context, OtaServerCore core, string? message, bool isError, int status)
    {
        var fleet = FleetOverview.Read(core.Database, core.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        var rollouts = core.Rollouts.List().OrderByDescending(r => r.Id).Select(r => core.Rollouts.StatusOf(r.Id)).ToArray();
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var user = context.User;
        var viewer = new StatusHtml.Viewer(OperatorIdentity.Subject(user), action => OperatorIdentity.RoleUsed(user, RolloutActions.RolesFor(action)) != null, tokens.RequestToken!);
        string html = StatusHtml.Render(fleet, rollouts, string.IsNullOrEmpty(message) ? null : message, isError, viewer);
        context.Response.Headers.ContentSecurityPolicy = Csp;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
