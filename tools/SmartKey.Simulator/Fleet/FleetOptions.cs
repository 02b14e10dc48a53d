using System;

namespace SmartKey.Simulator.Fleet;

/// <summary>What a fleet run simulates: how many locks, where the broker is, how fast a day passes, what fails.</summary>
public sealed class FleetOptions
{
    public int Count { get; set; } = 100;

    public string SerialPrefix { get; set; } = "SK-SIM-";

    /// <summary>Number of the first lock (serials are SerialPrefix + a 6-digit number), so several fleets can share a broker.</summary>
    public int FirstNumber { get; set; } = 1;

    public string BrokerHost { get; set; } = "127.0.0.1";

    public int BrokerPort { get; set; } = 1883;

    public string TopicPrefix { get; set; } = "smartkey/v1";

    public string HardwareId { get; set; } = "smartkey-esp32-v1";

    public string FirmwareVersion { get; set; } = "1.0.0";

    /// <summary>The vendor's OTA public points (65-byte uncompressed P-256) the locks trust.</summary>
    public byte[][] TrustKeys { get; set; } = Array.Empty<byte[]>();

    /// <summary>Wall time of one simulated day: every lock opens its daily window once per day, at its own offset.</summary>
    public TimeSpan Day { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Simulated days to run (the CLI stops after them; a test may stop earlier).</summary>
    public double Days { get; set; } = 3;

    /// <summary>How long an idle window stays open after subscribing, for a retained offer (Uplink.OfferWaitMs, compressed).</summary>
    public TimeSpan OfferWait { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>A chunk request unanswered this long is sent again (Uplink.ChunkRequestTimeoutMs, compressed).</summary>
    public TimeSpan ChunkTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A window with a download in progress closes after this many unanswered requests in a row (the broker or server is gone).</summary>
    public int MaxUnansweredRequests { get; set; } = 5;

    /// <summary>Reconnect delay after a dropped connection inside a window (the firmware's 2 s back-off, compressed).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public FaultRates Faults { get; set; } = new();

    /// <summary>Days a low-battery lock stays low before its batteries are changed (then it reports ok).</summary>
    public int LowBatteryDays { get; set; } = 2;

    /// <summary>Seeds which locks get which fault and where the fault strikes.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>The MQTT protocol of the locks' clients (the firmware speaks 3.1.1).</summary>
    public bool Mqtt5 { get; set; }

    /// <summary>TLS with every lock's own client certificate (the production broker); null: plain TCP, client id only.</summary>
    public FleetIdentities? Identities { get; set; }

    public string SerialOf(int index) => SerialPrefix + (FirstNumber + index).ToString("D6");

    public void Validate()
    {
        if (Count < 1 || Count > 1_000_000) throw new ArgumentException("--count is 1 to 1000000");
        if (Day < TimeSpan.FromMilliseconds(500)) throw new ArgumentException("--day-seconds is at least 0.5");
        if (Days <= 0) throw new ArgumentException("--days must be positive");
        if (BrokerPort is < 1 or > 65535) throw new ArgumentException("--broker port is 1 to 65535");
        if (TrustKeys.Length == 0) throw new ArgumentException("the locks need an OTA trust key (--ota-key PEM)");
        Faults.Validate();
    }
}

/// <summary>Shares of the fleet (0..1) that get each injected fault; a lock gets at most one.</summary>
public sealed class FaultRates
{
    /// <summary>The secondary slot fails every write past a point: each download attempt ends failed (slot error).</summary>
    public double BadFlash { get; set; }

    /// <summary>Starts with a low battery (refuses offers, reports "low") for LowBatteryDays, then ok.</summary>
    public double LowBattery { get; set; }

    /// <summary>Power is cut once in the middle of a chunk write: the lock reboots and resumes next window.</summary>
    public double PowerCut { get; set; }

    /// <summary>The lock's connection drops once mid-download: it reconnects inside the window and resumes.</summary>
    public double BrokerDrop { get; set; }

    /// <summary>The new image fails its self-test on this lock: it reports failed, then reverted.</summary>
    public double BadBoot { get; set; }

    public double Total => BadFlash + LowBattery + PowerCut + BrokerDrop + BadBoot;

    public void Validate()
    {
        foreach (var rate in new[] { BadFlash, LowBattery, PowerCut, BrokerDrop, BadBoot })
            if (rate < 0 || rate > 1) throw new ArgumentException("fault rates are shares from 0 to 1");
        if (Total > 1) throw new ArgumentException("the fault rates add up to more than the whole fleet");
    }
}
