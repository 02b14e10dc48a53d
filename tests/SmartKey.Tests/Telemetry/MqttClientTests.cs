using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Threading;
using SmartKey.Hal.Simulated.Mqtt;
using Xunit;

namespace SmartKey.Tests.Telemetry;

/// <summary>The host MQTT client against a real mosquitto.</summary>
public class MqttClientTests
{
    private static bool WaitFor(Func<bool> condition, int ms = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(ms);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(10);
        }

        return true;
    }

    [Fact]
    public void PublishesAndReceivesAtQos0And1()
    {
        using var broker = new Mosquitto();
        using var a = new MqttClient("127.0.0.1", broker.Port, "a");
        using var b = new MqttClient("127.0.0.1", broker.Port, "b");
        var got = new ConcurrentQueue<(string, string, int)>();
        b.MessageReceived += (t, p, q, _) => got.Enqueue((t, Encoding.UTF8.GetString(p), q));
        Assert.True(a.Connect());
        Assert.True(b.Connect());
        Assert.True(b.Subscribe("test/#", 1));
        Assert.True(a.Publish("test/zero", Encoding.UTF8.GetBytes("q0"), 0));
        Assert.True(a.Publish("test/one", Encoding.UTF8.GetBytes("q1"), 1));      // returns after the broker's PUBACK
        Assert.True(WaitFor(() => got.Count == 2));
        Assert.Contains(("test/one", "q1", 1), got);
        Assert.Contains(("test/zero", "q0", 0), got);
    }

    [Fact]
    public void WillIsPublishedWhenAClientDiesAndKeepAliveHoldsAnIdleConnection()
    {
        using var broker = new Mosquitto();
        using var watcher = new MqttClient("127.0.0.1", broker.Port, "watcher");
        var wills = new ConcurrentQueue<string>();
        watcher.MessageReceived += (t, p, _, _) => wills.Enqueue(t);
        Assert.True(watcher.Connect());
        Assert.True(watcher.Subscribe("wills/#", 1));
        var idle = new MqttClient("127.0.0.1", broker.Port, "idle", keepAliveSeconds: 1);
        Assert.True(idle.Connect());
        Thread.Sleep(2500);                                                        // pings keep it alive
        Assert.True(idle.IsConnected);
        var mortal = new MqttClient("127.0.0.1", broker.Port, "mortal", keepAliveSeconds: 2) { WillTopic = "wills/mortal", WillPayload = new byte[] { 1 } };
        Assert.True(mortal.Connect());
        typeof(MqttClient).GetField("_stream", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(mortal)
            .As<System.Net.Sockets.NetworkStream>().Socket.Close();                 // dies without DISCONNECT
        Assert.True(WaitFor(() => wills.Contains("wills/mortal")));
        idle.Dispose();
    }

    [Fact]
    public void ReconnectsWithBackOffAfterTheBrokerComesBack()
    {
        using var broker = new Mosquitto();
        using var client = new MqttClient("127.0.0.1", broker.Port, "phoenix", keepAliveSeconds: 1) { AutoReconnect = true };
        Assert.True(client.Connect());
        Assert.True(client.Subscribe("x/#", 0));
        broker.Stop();
        Assert.True(WaitFor(() => !client.IsConnected, 6000));
        Assert.False(client.Publish("x/1", new byte[] { 1 }, 1));
        broker.Start();
        Assert.True(WaitFor(() => client.IsConnected, 15000));
        Assert.True(client.Reconnects >= 1);
        Assert.True(client.Publish("x/2", new byte[] { 2 }, 1));
    }
}

internal static class CastExtensions
{
    public static T As<T>(this object? o) => (T)o!;
}
