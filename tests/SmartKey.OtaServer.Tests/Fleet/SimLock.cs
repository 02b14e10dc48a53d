using System;
using System.Threading;
using SmartKey.Firmware.Identity;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;
using SmartKey.Simulator;

namespace SmartKey.OtaServer.Tests.Fleet;

/// <summary>
/// A simulated lock running the real firmware (SmartKeyDevice: Uplink, UpdateAgent, ImageVerifier, test boot
/// and confirm or revert) on the simulated hal, connected to the real broker through HostMqttLink. Window()
/// is its daily window: wake, report, take an offer if one is retained, download, test-boot, confirm, sleep.
/// Simulated time runs about five times faster than real time while it talks to the broker.
/// </summary>
public sealed class SimLock
{
    private static readonly (byte[] w0, byte[] l) Verifier = SmartKey.Phone.SetupCode.Verifier("2468013579", "SK-FLEET");

    public SimLock(string serial, string host, int port, System.Security.Cryptography.ECDsa trusted, ulong seed)
    {
        Serial = serial;
        var config = EmbeddedConfig.Load();
        config.MqttHost = host;
        config.MqttPort = port;
        var link = new HostMqttLink(host, port);
        link.MessageReceived += (_, topic, payload) => { lock (_heard) _heard.Add(topic[(topic.IndexOf("/ota/", StringComparison.Ordinal) + 1)..] + ":" + payload.Length); };
        Device = new SimulatedDevice(config, seed, mqtt: new WifiDelayedLink(link, SimulatedHardware.WifiConnectMs / 5));
        Device.Boot();
        var identity = new DeviceIdentity { Serial = serial, W0 = Verifier.w0, L = Verifier.l, OtaTrustKeys = new[] { ImageSigner.PublicPoint(trusted) } };
        if (Device.Core.Provision(identity) != SmartKey.Firmware.Storage.StoreResult.Ok) throw new InvalidOperationException("provisioning " + serial + " failed");
    }

    private readonly System.Collections.Generic.List<string> _heard = new();

    public string Serial { get; }

    public SimulatedDevice Device { get; }

    public string Firmware => Device.Core.FirmwareVersion;

    public void SetBattery(int percent) => Device.Hardware.Battery.SetStateOfCharge(percent);

    public void Window(int realTimeoutMs = 60_000)
    {
        // Between windows a lock is in deep sleep, which restarts the runtime: the timer wake boots a fresh core
        // (and samples the battery anew).
        if (Device.Asleep || !Device.Core.Uplink.Active) Device.Wake(WakeCause.Timer);
        Device.Run(() => Device.Core.ReportTelemetry());
        var deadline = DateTime.UtcNow.AddMilliseconds(realTimeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (Device.Asleep) return;
            var core = Device.Core;
            if (!core.Uplink.Active && !core.Ota.RebootRequested && core.Telemetry.Count == 0) return;
            Device.Hardware.Advance(SimulatedHardware.StepMs);
            Device.Run(() => Device.Core.Poll());
            if (Device.Hardware.MqttLink.IsConnected) Thread.Sleep(2);
        }

        var c = Device.Core;
        throw new TimeoutException($"{Serial}: the window did not end (uplink {c.Uplink.Active}, connected {Device.Hardware.MqttLink.IsConnected}, ota {c.Ota.State}/{c.Ota.LastError} at {c.Ota.Offset}/{c.Ota.ImageSize}, reboot {c.Ota.RebootRequested}, queue {c.Telemetry.Count}, slot {Device.Hardware.Slots.State}, crashes {Device.Crashes}, boots {Device.Boots}); heard {string.Join(" ", _heard.GetRange(Math.Max(0, _heard.Count - 12), Math.Min(12, _heard.Count)))} ({_heard.Count} in all)");
    }
}
