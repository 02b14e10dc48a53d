using System;
using System.Linq;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Images;
using SmartKey.OtaServer.Mqtt;
using SmartKey.OtaServer.Releases;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Hosting;

/// <summary>
/// The server's parts, wired: database (migrated on open), image store, registry, releases, rollouts, driver
/// and chunk server. Everything it holds is in the database or the image files; the object itself can be
/// thrown away and built again at any time (that is what a restart is).
/// </summary>
public sealed class OtaServerCore
{
    public OtaServerCore(ServerOptions options)
    {
        Options = options;
        Clock = options.Clock;
        Database = Database.Open(options.Database);
        Database.Migrate(Clock.GetUtcNow().ToUnixTimeMilliseconds());
        Images = new ImageStore(options.DataDirectory);
        Counters = new Counters(Database);
        Audit = new AuditLog(Database);
        Accounts = new Auth.OperatorAccounts(Database, Clock);
        Devices = new DeviceService(Database, Counters, Clock, new ReportLimits(options, Clock));
        Releases = new ReleaseService(Database, Images, Counters, TrustKeys.Load(options.TrustKeys), options.HardwareIds.ToArray(), options.MaxImageBytes, Clock);
        Rollouts = new RolloutService(Database, Releases, Clock, options.CanarySerials);
        Driver = new RolloutDriver(Database, Releases, Images, Counters, Clock) { MaxDownloads = options.MaxDownloads };
        Chunks = new ChunkServer(Devices, Driver, Images, Counters, new ChunkRateLimit(options.ChunksPerSecond, options.ChunkBurst, Clock));
        Rollouts.Stopped += id => Driver.Sweep(id);
    }

    public ServerOptions Options { get; }
    public TimeProvider Clock { get; }
    public Database Database { get; }
    public ImageStore Images { get; }
    public Counters Counters { get; }
    public AuditLog Audit { get; }
    public Auth.OperatorAccounts Accounts { get; }
    public DeviceService Devices { get; }
    public ReleaseService Releases { get; }
    public RolloutService Rollouts { get; }
    public RolloutDriver Driver { get; }
    public ChunkServer Chunks { get; }

    public void Connect(IOfferChannel offers)
    {
        Driver.UseOfferChannel(offers);
        Devices.UseOfferChannel(offers);
    }

    public DeviceService.RetentionResult RunRetention() =>
        Devices.RunRetention(TimeSpan.FromDays(Options.TelemetryRetentionDays), TimeSpan.FromDays(Options.ForgetAfterDays));
}
