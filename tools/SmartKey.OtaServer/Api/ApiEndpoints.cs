using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Releases;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Api;

/// <summary>
/// The REST API (docs/ota-server.md, OpenAPI at /openapi/v1.json). Every call is authenticated (bearer token) and
/// role-checked (Auth/Roles); the actor of a change is the authenticated subject. Refusals are RFC 9457 problem
/// details: 400 (bad input), 401, 403 (role, approval rules), 404, 405, 409 (wrong state), 413, 415, 422 (an image
/// the verifier refuses), 429 (too many refused credentials).
/// </summary>
public static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, OtaServerCore core, OperatorAccounts accounts)
    {
        app.MapGet("/health", () => Results.Text("ok")).AllowAnonymous().WithName("Health").WithDescription("Liveness: the only call answered without credentials.")
            .Produces<string>(200, "text/plain");
        var api = app.MapGroup("/api").ProducesProblem(401).ProducesProblem(403).ProducesProblem(429);

        api.MapGet("/releases", () => core.Releases.List()).WithName("ListReleases").RequireRoles(Roles.Readers).Produces<IReadOnlyList<Release>>();
        api.MapPost("/releases", async (HttpRequest request) =>
        {
            byte[] image = await ReadBody(request, core.Options.MaxImageBytes + 64 * 1024);
            var result = core.Releases.Add(image, Actor(request));
            if (result.Refusal != null) return Results.Problem(result.Refusal, statusCode: 422, title: "image refused");
            return result.Created ? Results.Created("/api/releases/" + result.Release!.Id, result.Release) : Results.Ok(result.Release);
        }).Accepts<byte[]>("application/octet-stream").WithName("AddRelease").WithDescription("Upload a signed MCUboot image; it is verified as a lock would verify it. The same bytes again: 200 with the existing release.")
            .RequireRoles(Roles.ReleaseManager).Produces<Release>(201).Produces<Release>(200).ProducesProblem(400).ProducesProblem(413).ProducesProblem(422);

        api.MapGet("/rollouts", () => core.Rollouts.List()).WithName("ListRollouts").RequireRoles(Roles.Readers).Produces<IReadOnlyList<Rollout>>();
        api.MapPost("/rollouts", (RolloutRequest body, HttpRequest request) =>
        {
            var r = core.Rollouts.Create(body, Actor(request));
            return Results.Created("/api/rollouts/" + r.Id, r);
        }).WithName("CreateRollout").RequireRoles(Roles.ReleaseManager).Produces<Rollout>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(415);
        api.MapGet("/rollouts/{id:long}", (long id) => core.Rollouts.StatusOf(id)).WithName("RolloutStatus").RequireRoles(Roles.Readers)
            .Produces<RolloutService.Status>().ProducesProblem(404);
        StateChange(api, "approve", "ApproveRollout", core.Rollouts.Approve, Roles.Approver);
        StateChange(api, "start", "StartRollout", core.Rollouts.Start, Roles.ReleaseManager, Roles.Approver);
        StateChange(api, "pause", "PauseRollout", (id, actor) => core.Rollouts.Pause(id, actor), Roles.ReleaseManager);
        StateChange(api, "resume", "ResumeRollout", core.Rollouts.Resume, Roles.ReleaseManager);
        StateChange(api, "cancel", "CancelRollout", core.Rollouts.Cancel, Roles.ReleaseManager);

        string[] registryReaders = { Roles.Admin, Roles.PrivacyOfficer, Roles.ReleaseManager };
        api.MapGet("/devices", () => core.Devices.List()).WithName("ListDevices").RequireRoles(registryReaders).Produces<IReadOnlyList<Device>>();
        api.MapGet("/devices/{serial}", (string serial) => core.Devices.Get(serial) is { } d ? Results.Ok(d) : NotFound("lock " + serial)).WithName("ShowDevice")
            .RequireRoles(registryReaders).Produces<Device>().ProducesProblem(404);
        api.MapGet("/devices/{serial}/export", (string serial, HttpRequest request) =>
                core.Devices.Export(serial, Actor(request)) is { } e ? Results.Ok(e) : NotFound("lock " + serial)).WithName("ExportDevice")
            .RequireRoles(Roles.PrivacyOfficer).Produces<DeviceExport>().ProducesProblem(404);
        api.MapDelete("/devices/{serial}", (string serial, HttpRequest request) =>
                core.Devices.Erase(serial, Actor(request)) ? Results.NoContent() : NotFound("lock " + serial)).WithName("EraseDevice")
            .RequireRoles(Roles.PrivacyOfficer).Produces(204).ProducesProblem(404);
        api.MapPost("/devices/admit", async (HttpRequest request) =>
            {
                byte[] body = await ReadBody(request, 16 * 1024 * 1024);
                var records = ManufacturingRecord.Parse(System.Text.Encoding.UTF8.GetString(body), "request body");
                int admitted = core.Devices.Admit(records, Actor(request));
                return Results.Ok(new AdmitResult(records.Count, admitted));
            }).Accepts<ManufacturingRecordBody[]>("application/json").WithName("AdmitDevices")
            .WithDescription("Admit locks from manufacturing records: an array of them, or one record on its own. One bad record admits nothing.")
            .RequireRoles(Roles.Admin).Produces<AdmitResult>().ProducesProblem(400).ProducesProblem(413);

        api.MapGet("/counters", () => core.Counters.All()).WithName("Counters").RequireRoles(Roles.Readers).Produces<IReadOnlyDictionary<string, long>>();
        api.MapGet("/audit", () => core.Audit.All()).WithName("Audit").RequireRoles(Roles.Admin, Roles.PrivacyOfficer).Produces<IReadOnlyList<AuditLog.Entry>>();
        api.MapPost("/retention", (HttpRequest request) => core.RunRetention()).WithName("RunRetention").RequireRoles(Roles.PrivacyOfficer)
            .Produces<DeviceService.RetentionResult>();

        api.MapGet("/operators", () => accounts.List()).WithName("ListOperators").RequireRoles(Roles.Admin).Produces<IReadOnlyList<OperatorAccounts.Account>>();
        api.MapPost("/operators", (NewOperator body, HttpRequest request) =>
            {
                string token = accounts.Add(body.Name, body.Roles ?? Array.Empty<string>(), body.Days ?? 90, Actor(request));
                return Results.Created("/api/operators/" + body.Name, new IssuedToken(body.Name, token));
            }).WithName("AddOperator").WithDescription("A local account; its token is in this answer only (the server keeps its hash).")
            .RequireRoles(Roles.Admin).Produces<IssuedToken>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(415);
        api.MapDelete("/operators/{name}", (string name, HttpRequest request) =>
            {
                accounts.Revoke(name, Actor(request));
                return Results.NoContent();
            }).WithName("RevokeOperator").RequireRoles(Roles.Admin).Produces(204).ProducesProblem(400).ProducesProblem(404);
    }

    public sealed record AdmitResult(int Records, int Admitted);

    public sealed record NewOperator(string Name, string[]? Roles, int? Days);

    public sealed record IssuedToken(string Name, string Token);

    /// <summary>The factory's record as the admit call takes it (Devices/ManufacturingRecord checks every field).</summary>
    public sealed record ManufacturingRecordBody(string Format, string Serial, string HardwareId, string CertificateSha256, string[] OtaTrustKeyIds, string IssuedAt);

    private static void StateChange(RouteGroupBuilder api, string verb, string name, Func<long, string, Rollout> change, params string[] roles) =>
        api.MapPost("/rollouts/{id:long}/" + verb, (long id, HttpRequest request) => change(id, Actor(request))).WithName(name).RequireRoles(roles)
            .Produces<Rollout>().ProducesProblem(404).ProducesProblem(409);

    private static IResult NotFound(string what) => Results.Problem(what + " not found", statusCode: 404);

    /// <summary>The authenticated subject: what the services record as the actor.</summary>
    private static string Actor(HttpRequest request) => OperatorIdentity.Subject(request.HttpContext.User);

    private static async Task<byte[]> ReadBody(HttpRequest request, int max)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + n > max) throw new OperationException(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {max} bytes");
            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    /// <summary>Maps refusals to their HTTP status and a problem details body, so nothing else leaks.</summary>
    public static async Task Errors(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (OperationException e)
        {
            await Problem(context, e.Status, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or BadHttpRequestException or InvalidDataException)
        {
            await Problem(context, e is BadHttpRequestException b ? b.StatusCode : StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private static Task Problem(HttpContext context, int status, string detail)
    {
        if (context.Response.HasStarted) throw new InvalidOperationException("a refusal after the answer started: " + detail);
        context.Response.Clear();
        return Results.Problem(detail, statusCode: status).ExecuteAsync(context);
    }
}
