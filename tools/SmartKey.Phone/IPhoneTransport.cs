using System;

namespace SmartKey.Phone;

/// <summary>
/// The phone's BLE as the protocol sees it: the advertisement's service data, connect with an MTU, one
/// ATT write out, notifications in. Implementations: the simulator in-process, and a TCP socket to the
/// simulator's serve mode. Contract: Write returns false when the link is down; a write that returned
/// true may still be lost if the link drops right after; Receive waits at most timeoutMs.
/// </summary>
public interface IPhoneTransport : IDisposable
{
    byte[]? ScanAdvertisement();

    void Connect(int mtu);

    int Mtu { get; }

    bool Write(byte[] fragment);

    byte[]? Receive(int timeoutMs);

    void Disconnect();

    /// <summary>The phone's clock for its time-outs: real time, or the simulation's time beside a simulated lock.</summary>
    long NowMilliseconds => Environment.TickCount64;
}
