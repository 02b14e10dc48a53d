using System;
using System.Collections.Generic;
using MQTTnet.Formatter;
using SmartKey.Hal.Simulated.Mqtt;
using Xunit;

namespace SmartKey.Tests.Telemetry;

/// <summary>Revoking one lock: its certificate on the manufacturing CA's CRL (the broker's crlfile) shuts it out, no other lock.</summary>
public sealed class RevocationTests : IDisposable
{
    private readonly BrokerPki _pki = new();
    private readonly Mosquitto _broker;

    public RevocationTests() => _broker = new Mosquitto(_pki);

    public void Dispose()
    {
        _broker.Dispose();
        _pki.Dispose();
    }

    private bool Connects(SmartKey.Technician.Pki.IssuedCertificate identity, string clientId, MqttProtocolVersion protocol)
    {
        using var client = new MqttConnection(_pki.Endpoint(_broker.Port, identity), clientId, protocol);
        return client.Connect();
    }

    [Fact]
    public void ARevokedLockIsRefusedAfterTheBrokerReloadsItsListAndTheOthersStayIn()
    {
        var stolen = _pki.Lock("SK-STOLEN");
        var neighbour = _pki.Lock("SK-NEIGHBOUR");
        var server = _pki.OtaServer();
        Assert.True(Connects(stolen, "SK-STOLEN", MqttProtocolVersion.V311), _broker.Log);

        _pki.Revoke(stolen);
        _broker.Reload();                                         // SIGHUP: the new crlfile applies to new connections
        var refused = new List<string>();
        foreach (var protocol in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            if (!Connects(stolen, "SK-STOLEN", protocol)) refused.Add(protocol.ToString());
        Assert.Equal(2, refused.Count);
        Assert.True(Connects(neighbour, "SK-NEIGHBOUR", MqttProtocolVersion.V311), _broker.Log);
        using (var backend = new MqttConnection(_pki.Endpoint(_broker.BackendPort, server), "ota", MqttProtocolVersion.V500)) Assert.True(backend.Connect(), _broker.Log);

        _broker.Stop();                                           // and it stays revoked across a restart
        _broker.Start();
        Assert.False(Connects(stolen, "SK-STOLEN", MqttProtocolVersion.V311));
        Assert.True(Connects(neighbour, "SK-NEIGHBOUR", MqttProtocolVersion.V311));
    }

    [Fact]
    public void ARevokedLockKeepsWorkingLocallyAndItsReportsWait()
    {
        var identity = _pki.Lock("SK-REVOKED-1");
        _pki.Revoke(identity);
        _broker.Reload();
        var config = SmartKey.Simulator.EmbeddedConfig.Load();
        var link = new SmartKey.Hal.Simulated.HostMqttLink(_pki.Endpoint(_broker.Port, identity));
        var device = new SmartKey.Simulator.SimulatedDevice(config, 31, mqtt: link);
        device.Hardware.Clock.SetUnixSeconds(SmartKey.Tests.Protocol.Lab.Tuesday.ToUnixTimeSeconds());
        device.Boot();
        device.Hardware.Console.TypeLine(SmartKey.Technician.ProvisioningKit.Create("SK-REVOKED-1", "8675309123", new[] { SmartKey.Ota.ImageSigner.PublicPoint(SmartKey.Tests.Ota.OtaLab.Vendor) }).ServiceLine);
        device.Advance(50);
        Assert.StartsWith("ok provisioned", device.Hardware.Console.TakeOutput());

        var phone = new SmartKey.Phone.SmartKeyPhone(new SmartKey.Simulator.SimulatedPhoneTransport(device));
        phone.Connect();
        var owner = phone.Pair("8675309123", "SK-REVOKED-1");
        phone.Disconnect();                                                 // an idle phone is dropped anyway (issue 11)
        device.Core.Reports.Report();
        device.Advance(60_000);
        device.Touch();
        if (device.Asleep) device.Touch();                                 // it fell asleep during that touch's step
        phone.Connect();
        phone.Open(owner, SmartKey.Firmware.Protocol.CommandId.Unlock, Array.Empty<byte>(), out byte[] state);
        Assert.Equal(2, state[0]);                                          // unlocked: the lock does not need the broker
        phone.Disconnect();
        Assert.True(link.ConnectCalls >= 2, "it retried with back-off: " + link.ConnectCalls);
        Assert.False(link.IsConnected);
        Assert.NotNull(link.LastConnectError);
        Assert.Equal(0, link.Published);
        Assert.True(device.Core.Telemetry.Count > 0, "the report waits in the queue");
    }
}
