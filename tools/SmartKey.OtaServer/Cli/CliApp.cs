using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Hosting;
using SmartKey.OtaServer.Rollouts;

namespace SmartKey.OtaServer.Cli;

/// <summary>
/// `smartkey-ota-server`: `serve` runs the server; `operator … --db` manages local accounts on the database
/// itself; every other command is an operator operation sent to a running server's API (--server, with the
/// token from OperatorToken). Exit codes: 0 done, 1 refused by the server, 2 bad usage or no server.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("SmartKey OTA server: releases, device registry and staged rollouts");
        var server = new Option<string>("--server") { Description = "the server's API (default $SMARTKEY_OTA_SERVER or http://127.0.0.1:5080)", Recursive = true };
        var tokenFile = new Option<string>("--token-file") { Description = "a file (mode 0600) holding your operator token (default $SMARTKEY_OTA_TOKEN, $SMARTKEY_OTA_TOKEN_FILE or ~/.config/smartkey/ota-token)", Recursive = true };
        root.Options.Add(server);
        root.Options.Add(tokenFile);

        int Call(ParseResult p, Func<OperatorClient, (int status, string body)> request, Func<string, string>? describe = null)
        {
            string url = p.GetValue(server) ?? Environment.GetEnvironmentVariable("SMARTKEY_OTA_SERVER") ?? "http://127.0.0.1:5080";
            try
            {
                using var client = new OperatorClient(new Uri(url), OperatorToken.Find(p.GetValue(tokenFile)));
                var (status, body) = request(client);
                if (status >= 400)
                {
                    string message = body;
                    try
                    {
                        using var doc = JsonDocument.Parse(body);
                        if (doc.RootElement.TryGetProperty("detail", out var e) || doc.RootElement.TryGetProperty("title", out e)) message = e.GetString() ?? body;
                    }
                    catch (JsonException)
                    {
                    }

                    error.WriteLine($"error ({status}): {message}");
                    return 1;
                }

                output.WriteLine(describe != null ? describe(body) : Pretty(body));
                return 0;
            }
            catch (Exception e) when (e is HttpRequestException or System.Threading.Tasks.TaskCanceledException or IOException or UriFormatException or ArgumentException or FormatException)
            {
                error.WriteLine("error: " + e.Message);
                return 2;
            }
        }

        root.Subcommands.Add(ServeCommand(output, error));

        // release add/list
        var release = new Command("release", "signed images the server may offer");
        var imageFile = new Argument<string>("image") { Description = "signed MCUboot image" };
        var releaseAdd = new Command("add", "upload an image (verified with the lock's own verifier)") { imageFile };
        releaseAdd.SetAction(p => Call(p, c => c.Send(HttpMethod.Post, "/api/releases", File.ReadAllBytes(p.GetValue(imageFile)!), "application/octet-stream")));
        var releaseList = new Command("list", "every release");
        releaseList.SetAction(p => Call(p, c => c.Send(HttpMethod.Get, "/api/releases")));
        release.Subcommands.Add(releaseAdd);
        release.Subcommands.Add(releaseList);
        root.Subcommands.Add(release);

        // rollout create/approve/start/pause/resume/cancel/status/list
        var rollout = new Command("rollout", "staged rollouts of a release");
        var releaseId = new Option<string>("--release") { Description = "release id (its SHA-256)", Required = true };
        var hardware = new Option<string>("--hardware-id") { Description = "only locks of this hardware" };
        var minVersion = new Option<string>("--min-version") { Description = "only locks running at least this version" };
        var maxVersion = new Option<string>("--max-version") { Description = "only locks running at most this version" };
        var serials = new Option<string[]>("--serial") { Description = "only these locks (repeat)", AllowMultipleArgumentsPerToken = true };
        var canary = new Option<string[]>("--canary") { Description = "the canary group's locks (repeat)", AllowMultipleArgumentsPerToken = true };
        var percents = new Option<string>("--percents") { Description = "cumulative shares after the canary (default 1,10,50,100)" };
        var success = new Option<int?>("--success-percent") { Description = "share of a group that must confirm (default 90)" };
        var errorCount = new Option<int?>("--error-count") { Description = "failed/reverted locks in a group that pause (0 = off, default)" };
        var errorPercent = new Option<int?>("--error-percent") { Description = "share of failed/reverted locks that pauses (default 5)" };
        var soak = new Option<int?>("--soak-days") { Description = "minimum days per group (default 1)" };
        var maxDays = new Option<int?>("--max-group-days") { Description = "days a group may take before the rollout pauses (default 14)" };
        var attempts = new Option<int?>("--max-attempts") { Description = "offers per lock (default 3)" };
        var create = new Command("create", "create a rollout (another operator approves it)");
        foreach (var o in new Option[] { releaseId, hardware, minVersion, maxVersion, serials, canary, percents, success, errorCount, errorPercent, soak, maxDays, attempts }) create.Options.Add(o);
        create.SetAction(p => Call(p, c => c.Json(HttpMethod.Post, "/api/rollouts", new RolloutRequest
        {
            ReleaseId = p.GetValue(releaseId)!, HardwareId = p.GetValue(hardware), MinVersion = p.GetValue(minVersion), MaxVersion = p.GetValue(maxVersion),
            Serials = p.GetValue(serials) is { Length: > 0 } s ? s.ToList() : null, Canary = p.GetValue(canary) is { Length: > 0 } k ? k.ToList() : null,
            Percents = p.GetValue(percents) is { } pc ? pc.Split(',').Select(x => int.Parse(x.Trim())).ToList() : null,
            SuccessPercent = p.GetValue(success), ErrorCount = p.GetValue(errorCount), ErrorPercent = p.GetValue(errorPercent), SoakDays = p.GetValue(soak),
            MaxGroupDays = p.GetValue(maxDays), MaxAttempts = p.GetValue(attempts),
        }), body => "created rollout " + JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64()));
        rollout.Subcommands.Add(create);
        foreach (string verb in new[] { "approve", "start", "pause", "resume", "cancel" })
        {
            var id = new Argument<long>("id") { Description = "rollout id" };
            var command = new Command(verb, verb + " a rollout") { id };
            command.SetAction(p => Call(p, c => c.Send(HttpMethod.Post, $"/api/rollouts/{p.GetValue(id)}/{verb}"),
                body => $"rollout {p.GetValue(id)}: {JsonDocument.Parse(body).RootElement.GetProperty("state").GetString()}"));
            rollout.Subcommands.Add(command);
        }

        var statusId = new Argument<long>("id") { Description = "rollout id" };
        var status = new Command("status", "a rollout's groups, progress, thresholds and history") { statusId };
        status.SetAction(p => Call(p, c => c.Send(HttpMethod.Get, $"/api/rollouts/{p.GetValue(statusId)}")));
        rollout.Subcommands.Add(status);
        var rolloutList = new Command("list", "every rollout");
        rolloutList.SetAction(p => Call(p, c => c.Send(HttpMethod.Get, "/api/rollouts")));
        rollout.Subcommands.Add(rolloutList);
        root.Subcommands.Add(rollout);

        // device list/show/export/erase/admit
        var device = new Command("device", "the device registry");
        var deviceList = new Command("list", "every admitted lock");
        deviceList.SetAction(p => Call(p, c => c.Send(HttpMethod.Get, "/api/devices")));
        device.Subcommands.Add(deviceList);
        var showSerial = new Argument<string>("serial");
        var show = new Command("show", "one lock") { showSerial };
        show.SetAction(p => Call(p, c => c.Send(HttpMethod.Get, "/api/devices/" + Uri.EscapeDataString(p.GetValue(showSerial)!))));
        device.Subcommands.Add(show);
        var exportSerial = new Argument<string>("serial");
        var exportOut = new Option<string>("--out", "-o") { Description = "write the JSON here (default: standard output)" };
        var export = new Command("export", "everything held about one lock, as JSON") { exportSerial, exportOut };
        export.SetAction(p => Call(p, c => c.Send(HttpMethod.Get, "/api/devices/" + Uri.EscapeDataString(p.GetValue(exportSerial)!) + "/export"), body =>
        {
            if (p.GetValue(exportOut) is not { } path) return Pretty(body);
            File.WriteAllText(path, Pretty(body));
            return "wrote " + path;
        }));
        device.Subcommands.Add(export);
        var eraseSerial = new Argument<string>("serial");
        var erase = new Command("erase", "delete everything held about one lock") { eraseSerial };
        erase.SetAction(p => Call(p, c => c.Send(HttpMethod.Delete, "/api/devices/" + Uri.EscapeDataString(p.GetValue(eraseSerial)!)), _ => "erased " + p.GetValue(eraseSerial)));
        device.Subcommands.Add(erase);
        var recordFiles = new Argument<string[]>("manufacturing.json") { Description = "manufacturing record files (one object or an array each)", Arity = ArgumentArity.OneOrMore };
        var admit = new Command("admit", "admit locks from the factory's manufacturing records") { recordFiles };
        admit.SetAction(p =>
        {
            int worst = 0;
            foreach (string file in p.GetValue(recordFiles)!)
            {
                string text;
                try
                {
                    text = File.ReadAllText(file);
                    ManufacturingRecord.Parse(text, file);        // a clear local error before anything is sent
                }
                catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
                {
                    error.WriteLine("error: " + e.Message);
                    worst = Math.Max(worst, 2);
                    continue;
                }

                worst = Math.Max(worst, Call(p, c => c.Send(HttpMethod.Post, "/api/devices/admit", System.Text.Encoding.UTF8.GetBytes(text)),
                    body => $"{file}: {JsonDocument.Parse(body).RootElement.GetProperty("records").GetInt32()} records admitted"));
            }

            return worst;
        });
        device.Subcommands.Add(admit);
        root.Subcommands.Add(device);

        var counters = new Command("counters", "what the server refused or dropped, and what it served");
        counters.SetAction(p => Call(p, c => c.Send(HttpMethod.Get, "/api/counters")));
        root.Subcommands.Add(counters);
        var retention = new Command("retention", "run the retention job now");
        retention.SetAction(p => Call(p, c => c.Send(HttpMethod.Post, "/api/retention")));
        root.Subcommands.Add(retention);
        root.Subcommands.Add(OperatorCommands.Build(output, error, (p, request, describe) => Call(p, request, describe)));
        return root;
    }

    private static Command ServeCommand(TextWriter output, TextWriter error)
    {
        var db = new Option<string>("--db") { Description = "SQLite file (default ota-server/ota.db) or a PostgreSQL connection string (Host=…)" };
        var data = new Option<string>("--data-dir") { Description = "where images are stored (default ota-server)" };
        var keys = new Option<string[]>("--trust-key") { Description = "OTA trust key: public-key PEM file or 65-byte point in hex (repeat)", Required = true, AllowMultipleArgumentsPerToken = true };
        var hardware = new Option<string[]>("--hardware-id") { Description = "accepted hardware ids (default smartkey-esp32-v1; repeat)", AllowMultipleArgumentsPerToken = true };
        var host = new Option<string>("--mqtt-host") { Description = "the fleet's broker (default 127.0.0.1)" };
        var port = new Option<int?>("--mqtt-port") { Description = "default 1883 (a local broker); the production broker's backend listener is 8884" };
        var prefix = new Option<string>("--topic-prefix") { Description = "default smartkey/v1" };
        var clientId = new Option<string>("--client-id") { Description = "this replica's name: its MQTT client id (the production broker uses the certificate's subject instead) and its name on the driver's lease (default smartkey-ota-server)" };
        var mqttCa = new Option<string>("--mqtt-ca") { Description = "TLS: the CA certificate that signed the broker (PEM or DER)" };
        var mqttCert = new Option<string>("--mqtt-cert") { Description = "TLS: this replica's client certificate from the operator CA, e.g. CN smartkey-ota-server-1 (PEM or DER)" };
        var mqttKey = new Option<string>("--mqtt-key") { Description = "TLS: the server's private key (PEM)" };
        var shared = new Option<string>("--shared-group") { Description = "subscribe as $share/<group>/… (replicas)" };
        var urls = new Option<string>("--urls") { Description = "where the API listens (default http://127.0.0.1:5080)" };
        var interval = new Option<int?>("--interval") { Description = "seconds between rollout driver runs (default 30)" };
        var telemetryDays = new Option<int?>("--telemetry-days") { Description = "telemetry kept this many days (default 90)" };
        var forgetDays = new Option<int?>("--forget-days") { Description = "a lock not seen this many days is forgotten (default 365)" };
        var canary = new Option<string[]>("--canary") { Description = "default canary locks (repeat)", AllowMultipleArgumentsPerToken = true };
        var lease = new Option<int?>("--lease-seconds") { Description = "replicas: seconds the rollout driver's lease lasts unrenewed, the takeover time after a crash (default 5)" };
        var workers = new Option<int?>("--workers") { Description = "workers handling the broker's messages, 1..256 (default 16; each lock's messages stay on one worker)" };
        var maxDownloads = new Option<int?>("--max-downloads") { Description = "locks offered or downloading at once over all rollouts (default 0: no limit)" };
        var telemetryRate = new Option<double?>("--telemetry-per-minute") { Description = "per lock: telemetry reports taken per minute (default 1; more are counted and dropped)" };
        var telemetryBurst = new Option<int?>("--telemetry-burst") { Description = "per lock: telemetry reports taken at once (default 10)" };
        var statusRate = new Option<double?>("--statuses-per-second") { Description = "per lock: OTA statuses taken per second (default 2)" };
        var statusBurst = new Option<int?>("--status-burst") { Description = "per lock: OTA statuses taken at once (default 30)" };
        var rowsPerDay = new Option<int?>("--telemetry-rows-per-day") { Description = "per lock: telemetry rows stored per UTC day (default 100)" };
        var authority = new Option<string>("--oidc-authority") { Description = "OpenID Connect provider (issuer URL): accept its access tokens" };
        var audience = new Option<string>("--oidc-audience") { Description = "the audience the provider's tokens must name (default smartkey-ota)" };
        var oidcClient = new Option<string>("--oidc-client-id") { Description = "the status page's client id at the provider (code flow + PKCE)" };
        var roleClaim = new Option<string>("--oidc-role-claim") { Description = "the claim carrying roles in the provider's tokens (default role)" };
        var noLocal = new Option<bool>("--no-local-accounts") { Description = "accept only the provider's tokens" };
        var allowedHosts = new Option<string[]>("--allowed-host") { Description = "host names the API and status page answer to (default 127.0.0.1, localhost, [::1]; repeat)", AllowMultipleArgumentsPerToken = true };
        var serve = new Command("serve", "run the server: API, MQTT link, rollout driver, retention");
        foreach (var o in new Option[] { db, data, keys, hardware, host, port, prefix, clientId, mqttCa, mqttCert, mqttKey, shared, urls, interval, telemetryDays, forgetDays, canary, lease, workers, maxDownloads,
                     telemetryRate, telemetryBurst, statusRate, statusBurst, rowsPerDay, authority, audience, oidcClient, roleClaim, noLocal, allowedHosts }) serve.Options.Add(o);
        serve.SetAction(p =>
        {
            var options = new ServerOptions();
            if (p.GetValue(db) is { } d) options.Database = d;
            if (p.GetValue(data) is { } dd) options.DataDirectory = dd;
            options.TrustKeys = p.GetValue(keys)!.ToList();
            if (p.GetValue(hardware) is { Length: > 0 } h) options.HardwareIds = h.ToList();
            if (p.GetValue(host) is { } mh) options.MqttHost = mh;
            if (p.GetValue(port) is { } mp) options.MqttPort = mp;
            if (p.GetValue(prefix) is { } tp) options.TopicPrefix = tp;
            if (p.GetValue(clientId) is { } ci) options.MqttClientId = ci;
            options.MqttCaFile = p.GetValue(mqttCa);
            options.MqttCertificateFile = p.GetValue(mqttCert);
            options.MqttKeyFile = p.GetValue(mqttKey);
            options.SharedSubscriptionGroup = p.GetValue(shared);
            if (p.GetValue(urls) is { } u) options.Urls = u;
            if (p.GetValue(interval) is { } i) options.DriverIntervalSeconds = i;
            if (p.GetValue(telemetryDays) is { } td) options.TelemetryRetentionDays = td;
            if (p.GetValue(forgetDays) is { } fd) options.ForgetAfterDays = fd;
            if (p.GetValue(canary) is { Length: > 0 } k) options.CanarySerials = k.ToList();
            if (p.GetValue(lease) is { } ls) options.DriverLeaseSeconds = ls;
            options.Auth.Authority = p.GetValue(authority);
            if (p.GetValue(audience) is { } aud) options.Auth.Audience = aud;
            options.Auth.ClientId = p.GetValue(oidcClient);
            if (p.GetValue(roleClaim) is { } rc) options.Auth.RoleClaim = rc;
            options.Auth.LocalAccounts = !p.GetValue(noLocal);
            if (p.GetValue(allowedHosts) is { Length: > 0 } ah) options.Auth.AllowedHosts = ah.ToList();
            if (!options.Auth.LocalAccounts && options.Auth.Authority == null)
            {
                error.WriteLine("error: --no-local-accounts needs --oidc-authority (nobody could sign in)");
                return 2;
            }

            if (p.GetValue(workers) is { } w)
            {
                if (w < 1 || w > 256)
                {
                    error.WriteLine("error: --workers must be 1..256");
                    return 2;
                }

                options.IngestWorkers = w;
            }

            if (p.GetValue(maxDownloads) is { } md)
            {
                if (md < 0)
                {
                    error.WriteLine("error: --max-downloads must be 0 (no limit) or more");
                    return 2;
                }

                options.MaxDownloads = md;
            }

            if (p.GetValue(telemetryRate) is { } tr) options.TelemetryPerMinute = tr;
            if (p.GetValue(telemetryBurst) is { } tb) options.TelemetryBurst = tb;
            if (p.GetValue(statusRate) is { } sr) options.StatusesPerSecond = sr;
            if (p.GetValue(statusBurst) is { } sb) options.StatusBurst = sb;
            if (p.GetValue(rowsPerDay) is { } rd) options.TelemetryRowsPerDay = rd;
            if (options.TelemetryPerMinute <= 0 || options.StatusesPerSecond <= 0 || options.TelemetryBurst < 1 || options.StatusBurst < 1 || options.TelemetryRowsPerDay < 1)
            {
                error.WriteLine("error: the per-lock limits must be positive (rates above 0, bursts and rows per day at least 1)");
                return 2;
            }

            try
            {
                var running = OtaServerHost.StartAsync(options).GetAwaiter().GetResult();
                output.WriteLine($"smartkey-ota-server: API on {running.BaseAddress} (OpenAPI at /openapi/v1.json), status page {new Uri(running.BaseAddress, "/status")}, " +
                    $"broker {options.MqttHost}:{options.MqttPort}, database {(running.Core.Database.IsPostgres ? "PostgreSQL" : Path.GetFullPath(options.Database))}, images {Path.GetFullPath(options.DataDirectory)}");
                running.WaitForShutdownAsync().GetAwaiter().GetResult();
                running.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return 0;
            }
            catch (Exception e) when (StartFailure.Describe(e, options) is { } line)
            {
                error.WriteLine("error: " + line);
                return 2;
            }
        });
        return serve;
    }

    private static string Pretty(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
