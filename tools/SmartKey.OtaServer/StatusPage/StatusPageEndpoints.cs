using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartKey.OtaServer.Hosting;

namespace SmartKey.OtaServer.StatusPage;

/// <summary>
/// GET /status renders the page; POST /status/rollouts/{id} (form: operator, action) runs the same
/// RolloutService operation the API runs, so the approval rules (creator ≠ approver) are the same; a refusal
/// is shown on the page with the API's status code.
/// </summary>
public static class StatusPageEndpoints
{
    public static void Map(IEndpointRouteBuilder app, OtaServerCore core)
    {
        app.MapGet("/status", (HttpContext context) => Page(context, core, context.Request.Query["done"], false, StatusCodes.Status200OK)).ExcludeFromDescription();
        app.MapPost("/status/rollouts/{id:long}", async (long id, HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            string actor = form["operator"].ToString(), action = form["action"].ToString();
            try
            {
                Operators.Check(actor);
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
        }).DisableAntiforgery().ExcludeFromDescription();
    }

    private static IResult Page(HttpContext context, OtaServerCore core, string? message, bool isError, int status)
    {
        var fleet = FleetOverview.Read(core.Database, core.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        var rollouts = core.Rollouts.List().OrderByDescending(r => r.Id).Select(r => core.Rollouts.StatusOf(r.Id)).ToArray();
        string html = StatusHtml.Render(fleet, rollouts, string.IsNullOrEmpty(message) ? null : message, isError);
        context.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
