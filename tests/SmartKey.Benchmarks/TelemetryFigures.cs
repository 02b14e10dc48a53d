using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Telemetry;
using SmartKey.Hal.Simulated;
using SmartKey.Hal.Simulated.Mqtt;

namespace SmartKey.Benchmarks;

/// <summary>Issue 7 figures: telemetry sizes and publish-to-receive latency through a real mosquitto.</summary>
public static class TelemetryFigures
{
    public static void Run()
    {
        Console.WriteLine();
        Console.WriteLine("Telemetry (issue 7):");
        var flash = new NorFlash(1024, 16);
        var store = new RecordStore(flash, 0, 8);
        store.Mount();
        var errors = new ErrorCounters(store) { Enabled = true };
        byte[] plain = TelemetryJson.Report("SK-00001-A", "1.0.0", 87, 6012, BatteryState.Ok, null);
        errors.Count(41);
        errors.Count(22);
        byte[] withErrors = TelemetryJson.Report("SK-00001-A", "1.0.0", 87, 6012, BatteryState.Ok, errors);
        const string topic = "smartkey/v1/SK-00001-A/telemetry";
        int overhead = 2 + 2 + topic.Length + 2;   // fixed header, topic length, topic, packet id (QoS 1)
        Console.WriteLine($"  record: {plain.Length} B of JSON ({withErrors.Length} B with two error codes) + {overhead} B MQTT PUBLISH framing + 4 B PUBACK");
        double perDay = plain.Length + overhead + 4 + 5 * 2;   // one daily report; CONNECT/CONNACK/SUBSCRIBE/DISCONNECT ~ 60 B more per window
        Console.WriteLine($"  per day at 10 unlocks and no events: one daily report ≈ {perDay + 60:F0} B including the connection's own packets (before TLS records); OTA status and chunk requests only while updating");

        string? mosquitto = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(System.IO.File.Exists);
        if (mosquitto == null)
        {
            Console.WriteLine("  latency: mosquitto not installed (apt-get install mosquitto) — skipped");
            return;
        }

        using var pki = new SmartKey.Tests.Telemetry.BrokerPki();
        using var broker = new SmartKey.Tests.Telemetry.Mosquitto(pki);
        using var device = new MqttConnection(pki.Endpoint(broker.Port, pki.Lock("SK-00001-A")), "SK-00001-A", MQTTnet.Formatter.MqttProtocolVersion.V311);
        using var backend = new MqttConnection(pki.Endpoint(broker.BackendPort, pki.OtaServer()), "bench-backend");
        var received = new AutoResetEvent(false);
        backend.MessageReceived += (_, _, _, _) => received.Set();
        device.Connect();
        backend.Connect();
        backend.Subscribe("smartkey/v1/+/telemetry", 1);
        var latencies = new double[300];
        for (int i = 0; i < latencies.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            device.Publish(topic, plain, 1);
            received.WaitOne(2000);
            latencies[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(latencies);
        Console.WriteLine($"  publish (QoS 1) to receive on loopback through mosquitto (TLS, client certificates, ACLs): median {latencies[150]:F2} ms, p95 {latencies[285]:F2} ms, max {latencies[^1]:F2} ms over {latencies.Length} messages");
    }
}
