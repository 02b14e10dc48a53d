using System;
using SmartKey.Hal.Simulated;
using SmartKey.Phone;

namespace SmartKey.Simulator;

/// <summary>
/// A phone next to the simulated lock: scans its advertisement, connects, writes ATT PDUs and waits for
/// notifications while simulated time runs (the device's main loop keeps polling meanwhile).
/// </summary>
public sealed class SimulatedPhoneTransport : IPhoneTransport
{
    private readonly SimulatedDevice _device;

    public SimulatedPhoneTransport(SimulatedDevice device) => _device = device;

    private SimBleLink Ble => _device.Hardware.Ble;

    public int Mtu => Ble.Mtu;

    private byte[]? _seenAdvertisement;

    /// <summary>The service data seen while scanning, just before connecting (advertising stops on connect).</summary>
    public byte[]? ScanAdvertisement() => _seenAdvertisement;

    public void Connect(int mtu)
    {
        if (_device.Asleep) throw new PhoneException(0, "the lock is asleep: touch it to wake it");
        _seenAdvertisement = Ble.IsAdvertising ? Ble.AdvertisedServiceData : null;
        Ble.PhoneConnect(mtu);
        _device.Advance(SimulatedHardware.StepMs);
    }

    public bool Write(byte[] fragment) => Ble.PhoneWrite(fragment);

    public long NowMilliseconds => _device.Hardware.Clock.ElapsedMilliseconds;

    public byte[]? Receive(int timeoutMs)
    {
        _device.RunUntil(() => Ble.PhoneInbox.Count > 0 || !Ble.IsConnected, timeoutMs);
        return Ble.PhoneInbox.Count > 0 ? Ble.PhoneInbox.Dequeue() : null;
    }

    public void Disconnect()
    {
        _seenAdvertisement = null;
        Ble.PhoneDisconnect();
        _device.Advance(SimulatedHardware.StepMs);
    }

    public void Dispose()
    {
        if (Ble.IsConnected) Disconnect();
    }
}
