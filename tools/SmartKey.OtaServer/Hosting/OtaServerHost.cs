using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmartKey.OtaServer.Api;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Mqtt;

namespace SmartKey.OtaServer.Hosting;

/// <summary>
/// The one process: ASP.NET Core (REST API + OpenAPI document), the MQTT link, and the loop that runs the
/// rollout driver and the retention job every DriverIntervalSeconds.
/// </summary>
public sealed class OtaServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private OtaServerHost(WebApplication app, OtaServerCore core, FleetLink link)
    {
        _app = app;
        Core = core;
        Link = link;
    }

    public OtaServerCore Core { get; }

    public FleetLink Link { get; }

    /// <summary>This replica's claim to drive rollouts (its MQTT client id names it).</summary>
    public Cluster.DriverLease Lease { get; private set; } = null!;

    /// <summary>Where the API listens (the real port when the options asked for port 0).</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<OtaServerHost> StartAsync(ServerOptions options, CancellationToken ct = default)
    {
        // The data layer is synchronous (ADO.NET) and runs on pool threads beside MQTTnet's continuations:
        // a floor of threads keeps a burst of database work from delaying the broker's acknowledgements.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        var core = new OtaServerCore(options);
        // No configuration files are read, so none are watched: a watcher on the working directory (often /tmp)
        // spent more CPU on other programs' file events than the replica spent serving chunks.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory, Args = new[] { "--hostBuilder:reloadConfigOnChange=false" },
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A start that fails (the API's port taken) is reported by `serve` in one line; the host's own log would add a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        options.Logging?.Invoke(builder.Logging);
        builder.Services.AddOpenApi(o => ApiDescription.Configure(o, options.Auth));
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.WriteIndented = false);
        WebDefences.AddWebDefences(builder.Services, options.Auth, core.Accounts, options.Clock);
        var app = builder.Build();
        var failures = new FailedCredentialLimit(options.Auth.FailureLimit, options.Auth.FailureWindow);
        app.Lifetime.ApplicationStopped.Register(failures.Dispose);
        WebDefences.UseWebDefences(app, options.Auth, failures);
        app.Use(ApiEndpoints.Errors);
        app.MapOpenApi();
        ApiEndpoints.Map(app, core, core.Accounts);
        StatusPage.StatusPageEndpoints.Map(app, core, options.Auth);

        var link = new FleetLink(options, core.Devices, core.Driver, core.Chunks, core.Counters, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("mqtt"));
        await link.StartAsync(ct);
        core.Connect(link);
        await app.StartAsync(ct);
        var host = new OtaServerHost(app, core, link) { Lease = new Cluster.DriverLease(core.Database, options.MqttClientId, TimeSpan.FromSeconds(options.DriverLeaseSeconds)) };
        if (options.DriverIntervalSeconds > 0) host._loop = Task.Run(host.Loop);
        return host;
    }

    private async Task Loop()
    {
        var log = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("driver");
        DateTimeOffset nextRetention = DateTimeOffset.MinValue;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Every replica ingests and serves chunks; only the lease holder drives rollouts and retention.
                if (!Lease.TryHold())
                {
                    await Task.Delay(TimeSpan.FromSeconds(Core.Options.DriverIntervalSeconds), _stop.Token);
                    continue;
                }

                Core.Driver.Tick();
                if (Core.Clock.GetUtcNow() >= nextRetention)
                {
                    Core.RunRetention();
                    nextRetention = Core.Clock.GetUtcNow().AddHours(1);
                }

                await Task.Delay(TimeSpan.FromSeconds(Core.Options.DriverIntervalSeconds), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "rollout driver tick failed");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Core.Options.DriverIntervalSeconds), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async Task WaitForShutdownAsync() => await _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop != null) await _loop;
        if (Lease.Held) Lease.Release();
        await _app.StopAsync();
        await Link.DisposeAsync();
        Core.Counters.Dispose();
        await _app.DisposeAsync();
    }
}
