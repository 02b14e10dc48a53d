using System;
using System.Collections.Generic;

namespace SmartKey.OtaServer.Hosting;

/// <summary>Everything the server is told at start (command line or appsettings section "OtaServer").</summary>
public sealed class ServerOptions
{
    /// <summary>SQLite file path (default) or a PostgreSQL connection string ("Host=…").</summary>
    public string Database { get; set; } = "ota-server/ota.db";

    /// <summary>Where content-addressed images live (images/ below it).</summary>
    public string DataDirectory { get; set; } = "ota-server";

    /// <summary>OTA trust keys: uncompressed P-256 points (hex) or paths of public-key PEM files.</summary>
    public List<string> TrustKeys { get; set; } = new();

    /// <summary>Hardware ids an image may be built for (nf.config firmware.hardware_id).</summary>
    public List<string> HardwareIds { get; set; } = new() { "smartkey-esp32-v1" };

    /// <summary>The largest image accepted (the lock's secondary slot).</summary>
    public int MaxImageBytes { get; set; } = 1536 * 1024;

    public string MqttHost { get; set; } = "127.0.0.1";
    public int MqttPort { get; set; } = 1883;
    public string TopicPrefix { get; set; } = "smartkey/v1";
    public string MqttClientId { get; set; } = "smartkey-ota-server";

    /// <summary>
    /// TLS to the fleet's broker (deploy/mosquitto/smartkey.conf requires it; the backend listener, port 8884): the CA
    /// that signed the broker (PEM or DER), and this replica's client certificate from the operator CA (PEM or DER;
    /// its subject is its client id there, so one per replica) with its key (PEM).
    /// All three or none; none is plain TCP, for a developer's local broker only.
    /// </summary>
    public string? MqttCaFile { get; set; }
    public string? MqttCertificateFile { get; set; }
    public string? MqttKeyFile { get; set; }

    /// <summary>When set, lock traffic is subscribed as $share/&lt;group&gt;/… so replicas split it.</summary>
    public string? SharedSubscriptionGroup { get; set; }

    /// <summary>Seconds a replica's claim to drive rollouts lasts without renewal (Cluster/DriverLease): the takeover time after a crash.</summary>
    public int DriverLeaseSeconds { get; set; } = 5;

    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Seconds between rollout driver and retention runs; 0 = only when asked (tests).</summary>
    public int DriverIntervalSeconds { get; set; } = 30;

    public int TelemetryRetentionDays { get; set; } = 90;
    public int ForgetAfterDays { get; set; } = 365;

    /// <summary>
    /// Locks offered or downloading at once, over all rollouts; 0 = no limit. Size it to what the replicas serve:
    /// a download takes MB / (chunk rate per lock × 4 KB), and an offered lock holds its place until its next window.
    /// </summary>
    public int MaxDownloads { get; set; }

    /// <summary>Workers handling the broker's messages (each lock always on the same one); most of a worker's time is waiting for the database.</summary>
    public int IngestWorkers { get; set; } = 16;

    /// <summary>Per lock: chunk requests served per second (and the burst allowed).</summary>
    public double ChunksPerSecond { get; set; } = 20;
    public int ChunkBurst { get; set; } = 40;

    /// <summary>
    /// Per lock, at the server (Devices/ReportLimits): telemetry reports taken per minute with a burst, OTA statuses
    /// per second with a burst (more are acknowledged, counted and dropped), and telemetry rows stored per UTC day.
    /// A lock reports a few times a day and sends 16 statuses per MB downloaded: the defaults leave it far below.
    /// </summary>
    public double TelemetryPerMinute { get; set; } = 1;
    public int TelemetryBurst { get; set; } = 10;
    public double StatusesPerSecond { get; set; } = 2;
    public int StatusBurst { get; set; } = 30;
    public int TelemetryRowsPerDay { get; set; } = 100;

    /// <summary>The default canary group of a rollout created without one.</summary>
    public List<string> CanarySerials { get; set; } = new();

    /// <summary>Authentication and the status page's defences (Auth/AuthOptions).</summary>
    public Auth.AuthOptions Auth { get; set; } = new();

    /// <summary>Extra logging set-up (tests add a provider that keeps every line).</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? Logging { get; set; }

    /// <summary>The clock (tests inject a manual one to compress days).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
