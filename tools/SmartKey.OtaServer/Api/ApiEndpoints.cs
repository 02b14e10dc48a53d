using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Releases;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Api;

/// <summary>
/// The REST API (docs/ota-server.md, OpenAPI at /openapi/v1.json). Every changing call names its operator
/// in the X-Operator header; refusals are JSON {"error": "..."} with 400 (bad input), 403 (approval rules),
/// 404, 409 (wrong state) or 422 (an image the verifier refuses).
/// </summary>
public static class ApiEndpoints
{
    public const string OperatorHeader = "X-Operator";

    public static void Map(IEndpointRouteBuilder app, OtaServerCore core)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/releases", () => core.Releases.List()).WithName("ListReleases");
        api.MapPost("/releases", async (HttpRequest request) =>
        {
            byte[] image = await ReadBody(request, core.Options.MaxImageBytes + 64 * 1024);
            var result = core.Releases.Add(image, Actor(request));
            if (result.Refusal != null) return Results.UnprocessableEntity(new ApiError(result.Refusal));
            return result.Created ? Results.Created("/api/releases/" + result.Release!.Id, result.Release) : Results.Ok(result.Release);
        }).Accepts<byte[]>("application/octet-stream").WithName("AddRelease").WithDescription("Upload a signed MCUboot image; it is verified as a lock would verify it.");

        api.MapGet("/rollouts", () => core.Rollouts.List()).WithName("ListRollouts");
        api.MapPost("/rollouts", (RolloutRequest body, HttpRequest request) =>
        {
            var r = core.Rollouts.Create(body, Actor(request));
            return Results.Created("/api/rollouts/" + r.Id, r);
        }).WithName("CreateRollout");
        api.MapGet("/rollouts/{id:long}", (long id) => core.Rollouts.StatusOf(id)).WithName("RolloutStatus");
        api.MapPost("/rollouts/{id:long}/approve", (long id, HttpRequest request) => core.Rollouts.Approve(id, Actor(request))).WithName("ApproveRollout");
        api.MapPost("/rollouts/{id:long}/start", (long id, HttpRequest request) => core.Rollouts.Start(id, Actor(request))).WithName("StartRollout");
        api.MapPost("/rollouts/{id:long}/pause", (long id, HttpRequest request) => core.Rollouts.Pause(id, Actor(request))).WithName("PauseRollout");
        api.MapPost("/rollouts/{id:long}/resume", (long id, HttpRequest request) => core.Rollouts.Resume(id, Actor(request))).WithName("ResumeRollout");
        api.MapPost("/rollouts/{id:long}/cancel", (long id, HttpRequest request) => core.Rollouts.Cancel(id, Actor(request))).WithName("CancelRollout");

        api.MapGet("/devices", () => core.Devices.List()).WithName("ListDevices");
        api.MapGet("/devices/{serial}", (string serial) => core.Devices.Get(serial) is { } d ? Results.Ok(d) : Results.NotFound(new ApiError("lock " + serial + " not found"))).WithName("ShowDevice");
        api.MapGet("/devices/{serial}/export", (string serial, HttpRequest request) =>
            core.Devices.Export(serial, Actor(request)) is { } e ? Results.Ok(e) : Results.NotFound(new ApiError("lock " + serial + " not found"))).WithName("ExportDevice");
        api.MapDelete("/devices/{serial}", (string serial, HttpRequest request) =>
            core.Devices.Erase(serial, Actor(request)) ? Results.NoContent() : Results.NotFound(new ApiError("lock " + serial + " not found"))).WithName("EraseDevice");
        api.MapPost("/devices/admit", async (HttpRequest request) =>
        {
            byte[] body = await ReadBody(request, 16 * 1024 * 1024);
            var records = ManufacturingRecord.Parse(System.Text.Encoding.UTF8.GetString(body), "request body");
            int admitted = core.Devices.Admit(records, Actor(request));
            return Results.Ok(new { records = records.Count, admitted });
        }).Accepts<string>("application/json").WithName("AdmitDevices").WithDescription("Admit locks from manufacturing records (one object or an array).");

        api.MapGet("/counters", () => core.Counters.All()).WithName("Counters");
        api.MapGet("/audit", () => core.Audit.All()).WithName("Audit");
        api.MapPost("/retention", (HttpRequest request) =>
        {
            Operators.Check(request.Headers[OperatorHeader]);
            return core.RunRetention();
        }).WithName("RunRetention");
    }

    public sealed record ApiError(string Error);

    private static string Actor(HttpRequest request)
    {
        string? actor = request.Headers[OperatorHeader];
        Operators.Check(actor);
        return actor!;
    }

    private static async Task<byte[]> ReadBody(HttpRequest request, int max)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + n > max) throw new ArgumentException($"the body is larger than {max} bytes");
            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    /// <summary>Maps refusals to their HTTP status and a JSON body, so nothing else leaks.</summary>
    public static async Task Errors(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (OperationException e)
        {
            context.Response.StatusCode = e.Status;
            await context.Response.WriteAsJsonAsync(new ApiError(e.Message));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or BadHttpRequestException or InvalidDataException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new ApiError(e.Message));
        }
    }
}
