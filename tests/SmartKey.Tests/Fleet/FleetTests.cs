using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SmartKey.Firmware.Ota;
using SmartKey.Ota;
using SmartKey.Simulator.Fleet;
using SmartKey.Tests.Ota;
using SmartKey.Tests.Telemetry;
using SmartKey.TestSupport;
using Xunit;

namespace SmartKey.Tests.Fleet;

/// <summary>
/// The fleet simulator against a real mosquitto and the MQTT OTA server: every lock takes the offer through the
/// firmware's update agent, and each injected fault ends the way the firmware handles it.
/// </summary>
public sealed class FleetTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Locks = 24;

    [Fact]
    public async Task Every_fault_ends_as_the_firmware_handles_it_and_the_rest_confirm()
    {
        using var broker = new Mosquitto();
        using var server = new MqttOtaServer(new SmartKey.Hal.Simulated.Mqtt.BrokerEndpoint("127.0.0.1", broker.Port));
        byte[] image = OtaLab.Image("1.1.0", size: 5 * UpdateAgent.MaxChunk + 1000);
        var options = new FleetOptions
        {
            Count = Locks, BrokerPort = broker.Port, TrustKeys = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) },
            Day = TimeSpan.FromSeconds(2), Days = 100_000, LowBatteryDays = 2, ChunkTimeout = TimeSpan.FromSeconds(1),
            Faults = new FaultRates { BadFlash = 2.0 / Locks, LowBattery = 2.0 / Locks, PowerCut = 2.0 / Locks, BrokerDrop = 2.0 / Locks, BadBoot = 2.0 / Locks },
        };
        var fleet = new SmartKey.Simulator.Fleet.Fleet(options);
        foreach (var l in fleet.Locks) Assert.True(server.Offer(l.Serial, image));

        // Bounded by progress, not by the clock (ProgressBound): the fleet runs until the test stops it.
        using var stop = new CancellationTokenSource();
        var run = fleet.RunAsync(stop.Token);
        long Progress() => fleet.Stats.ChunksReceived + fleet.Stats.StatusesSent + fleet.Stats.OffersReceived + Math.Min((long)fleet.Day, options.LowBatteryDays + 2);
        bool Settled() => fleet.Locks.All(l => l.Fault switch
        {
            Fault.BadFlash => l.LastState == OtaState.Failed,
            Fault.BadBoot => l.LastState == OtaState.Reverted,
            _ => l.Confirmations == 1 && l.QueuedStatuses == 0,
        }) && fleet.Day > options.LowBatteryDays + 1;
        await ProgressBound.UntilAsync(Settled, Progress);
        stop.Cancel();
        await run;
        var summary = new System.IO.StringWriter();
        FleetSummary.Write(fleet, summary);
        output.WriteLine(summary.ToString());
        foreach (var l in fleet.Locks) output.WriteLine($"{l.Serial} {l.Fault} {l.RunningVersion} state {l.LastState} error {l.LastError} downloads {l.DownloadsStarted} confirmations {l.Confirmations} reboots {l.Reboots}");

        Assert.Equal(2, fleet.Locks.Count(l => l.Fault == Fault.BadFlash));
        foreach (var l in fleet.Locks)
        {
            switch (l.Fault)
            {
                case Fault.BadFlash:
                    Assert.Equal((OtaState.Failed, OtaError.SlotError), (l.LastState, l.LastError));
                    Assert.Equal("1.0.0", l.RunningVersion);
                    break;
                case Fault.BadBoot:
                    Assert.Equal(OtaState.Reverted, l.LastState);
                    Assert.Equal("1.0.0", l.RunningVersion);
                    break;
                default:
                    Assert.Equal(OtaState.Confirmed, l.LastState);
                    Assert.Equal("1.1.0", l.RunningVersion);
                    Assert.Equal(1, l.Confirmations);
                    // A cut or a drop resumes the download where it was: one download from offset 0, never a restart.
                    Assert.Equal(1, l.DownloadsStarted);
                    break;
            }
        }

        Assert.Equal(2, fleet.Stats.PowerCuts);
        Assert.True(fleet.Stats.Drops >= 2, "each broker-drop lock lost its connection once");
        Assert.All(fleet.Locks.Where(l => l.Fault == Fault.PowerCut), l => Assert.True(l.Reboots >= 2, "cut, then the test boot"));
        // The server heard each outcome on the lock's own topic.
        var heard = server.Statuses.ToArray();
        foreach (var l in fleet.Locks.Where(l => l.LastState == OtaState.Confirmed))
            Assert.Contains(heard, s => s.serial == l.Serial && s.json.Contains("\"confirmed\""));
        foreach (var l in fleet.Locks.Where(l => l.Fault == Fault.LowBattery))
            Assert.Contains(heard, s => s.serial == l.Serial && s.json.Contains("\"error\":" + OtaError.BatteryLow));
        Assert.True(fleet.Stats.TelemetrySent >= Locks);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_reason()
    {
        var key = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) };
        Assert.Contains("--count", Assert.Throws<ArgumentException>(() => new SmartKey.Simulator.Fleet.Fleet(new FleetOptions { Count = 0, TrustKeys = key })).Message);
        Assert.Contains("trust key", Assert.Throws<ArgumentException>(() => new SmartKey.Simulator.Fleet.Fleet(new FleetOptions())).Message);
        Assert.Contains("more than the whole fleet", Assert.Throws<ArgumentException>(() =>
            new SmartKey.Simulator.Fleet.Fleet(new FleetOptions { TrustKeys = key, Faults = new FaultRates { BadFlash = 0.6, PowerCut = 0.6 } })).Message);
    }

    [Fact]
    public void Faults_are_dealt_exactly_and_reproducibly()
    {
        var options = new FleetOptions
        {
            Count = 1000, TrustKeys = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) }, Seed = 7,
            Faults = new FaultRates { BadFlash = 0.005, LowBattery = 0.01, PowerCut = 0.002, BrokerDrop = 0.003 },
        };
        var a = new SmartKey.Simulator.Fleet.Fleet(options).Locks;
        var b = new SmartKey.Simulator.Fleet.Fleet(options).Locks;
        Assert.Equal(5, a.Count(l => l.Fault == Fault.BadFlash));
        Assert.Equal(10, a.Count(l => l.Fault == Fault.LowBattery));
        Assert.Equal(2, a.Count(l => l.Fault == Fault.PowerCut));
        Assert.Equal(3, a.Count(l => l.Fault == Fault.BrokerDrop));
        Assert.Equal(a.Select(l => (l.Serial, l.Fault, l.FaultAt)), b.Select(l => (l.Serial, l.Fault, l.FaultAt)));
        Assert.Equal(1000, a.Select(l => l.Serial).Distinct().Count());
        Assert.Equal("{\"serial\":\"SK-SIM-000001\"", Encoding.UTF8.GetString(a[0].TelemetryReport()).Split(',')[0]);
    }
}
