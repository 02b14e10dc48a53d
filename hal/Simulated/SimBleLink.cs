using System;
using System.Collections.Generic;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// The BLE peripheral and, on its other side, the phone. MTU 23 by default, so every message must be
/// fragmented into 20-byte writes. Fault injection: latency (delivery waits for simulated time), dropped
/// PDUs (the next N writes or notifications vanish), and a disconnect at any moment.
/// Counts ATT PDUs each way for the protocol benchmarks.
/// </summary>
public sealed class SimBleLink : IBlePeripheral
{
    private readonly Queue<(long dueMs, byte[] value)> _toDevice = new();
    private readonly Queue<(long dueMs, byte[] value)> _toPhone = new();
    private long _nowMs;

    public bool IsAdvertising { get; private set; }

    public bool IsConnected { get; private set; }

    public int Mtu { get; private set; } = 23;

    public byte[]? AdvertisedServiceData { get; private set; }

    public int BatteryLevel { get; private set; } = -1;

    public string? FirmwareRevision { get; private set; }

    public int BondDeletions { get; private set; }

    public int LatencyMs { get; set; }

    public int DropNextWrites { get; set; }

    public int DropNextNotifications { get; set; }

    public int WritesFromPhone { get; private set; }

    public int NotificationsToPhone { get; private set; }

    public event BleWriteHandler? WriteReceived;

    public event BleConnectionHandler? ConnectionChanged;

    /// <summary>Every ATT write the phone made, in order (what a radio sniffer would capture).</summary>
    public List<byte[]> CapturedWrites { get; } = new();

    /// <summary>What the phone has received and not yet taken.</summary>
    public Queue<byte[]> PhoneInbox { get; } = new();

    public void StartAdvertising(byte[] serviceData)
    {
        AdvertisedServiceData = (byte[])serviceData.Clone();
        IsAdvertising = true;
    }

    public void StopAdvertising() => IsAdvertising = false;

    public bool Notify(byte[] value, int offset, int count)
    {
        if (!IsConnected) return false;
        if (count > Mtu - 3) throw new ArgumentException($"notification of {count} bytes exceeds MTU {Mtu} - 3");
        NotificationsToPhone++;
        if (DropNextNotifications > 0)
        {
            DropNextNotifications--;
            return true;
        }

        var copy = new byte[count];
        Array.Copy(value, offset, copy, 0, count);
        _toPhone.Enqueue((_nowMs + LatencyMs, copy));
        Deliver();
        return true;
    }

    public void Disconnect() => SetConnected(false);

    public void SetBatteryLevel(int percent) => BatteryLevel = percent;

    public void SetFirmwareRevision(string version) => FirmwareRevision = version;

    public void DeleteAllBonds() => BondDeletions++;

    // ---- the phone's side ----

    public void PhoneConnect(int mtu = 23)
    {
        if (mtu < 23 || mtu > 517) throw new ArgumentOutOfRangeException(nameof(mtu));
        Mtu = mtu;
        _toDevice.Clear();
        _toPhone.Clear();
        PhoneInbox.Clear();
        SetConnected(true);
    }

    public void PhoneDisconnect() => SetConnected(false);

    /// <summary>One ATT Write Command; false when not connected or longer than MTU - 3 (the stack would refuse it).</summary>
    public bool PhoneWrite(byte[] value)
    {
        if (!IsConnected || value.Length > Mtu - 3) return false;
        WritesFromPhone++;
        CapturedWrites.Add((byte[])value.Clone());
        if (DropNextWrites > 0)
        {
            DropNextWrites--;
            return true;
        }

        _toDevice.Enqueue((_nowMs + LatencyMs, (byte[])value.Clone()));
        Deliver();
        return true;
    }

    /// <summary>Advances the link's clock and delivers what is due.</summary>
    public void AdvanceTo(long nowMs)
    {
        _nowMs = nowMs;
        Deliver();
    }

    private void Deliver()
    {
        while (_toDevice.Count > 0 && _toDevice.Peek().dueMs <= _nowMs && IsConnected)
            WriteReceived?.Invoke(this, _toDevice.Dequeue().value);
        while (_toPhone.Count > 0 && _toPhone.Peek().dueMs <= _nowMs)
            PhoneInbox.Enqueue(_toPhone.Dequeue().value);
    }

    private void SetConnected(bool connected)
    {
        if (IsConnected == connected) return;
        IsConnected = connected;
        if (!connected)
        {
            _toDevice.Clear();
            _toPhone.Clear();
            Mtu = 23;
        }
        else
        {
            IsAdvertising = false; // a connectable advertisement stops when a central connects
        }

        ConnectionChanged?.Invoke(this, connected);
    }
}
