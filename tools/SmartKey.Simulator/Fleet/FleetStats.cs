using System.Threading;

namespace SmartKey.Simulator.Fleet;

/// <summary>What the whole fleet did on the wire (counted from every lock's thread).</summary>
public sealed class FleetStats
{
    private long _connects, _connectFailures, _drops, _telemetry, _statuses, _requests, _chunks, _chunkBytes, _offers, _reboots, _powerCuts, _windows;

    public long Windows => Interlocked.Read(ref _windows);
    public long Connects => Interlocked.Read(ref _connects);
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);
    public long Drops => Interlocked.Read(ref _drops);
    public long TelemetrySent => Interlocked.Read(ref _telemetry);
    public long StatusesSent => Interlocked.Read(ref _statuses);
    public long ChunkRequests => Interlocked.Read(ref _requests);
    public long ChunksReceived => Interlocked.Read(ref _chunks);
    public long ChunkBytes => Interlocked.Read(ref _chunkBytes);
    public long OffersReceived => Interlocked.Read(ref _offers);
    public long Reboots => Interlocked.Read(ref _reboots);
    public long PowerCuts => Interlocked.Read(ref _powerCuts);

    internal void Window() => Interlocked.Increment(ref _windows);
    internal void Connected() => Interlocked.Increment(ref _connects);
    internal void ConnectFailed() => Interlocked.Increment(ref _connectFailures);
    internal void Dropped() => Interlocked.Increment(ref _drops);
    internal void Telemetry() => Interlocked.Increment(ref _telemetry);
    internal void Status() => Interlocked.Increment(ref _statuses);
    internal void Request() => Interlocked.Increment(ref _requests);
    internal void Offer() => Interlocked.Increment(ref _offers);
    internal void Rebooted() => Interlocked.Increment(ref _reboots);
    internal void PowerCut() => Interlocked.Increment(ref _powerCuts);

    internal void Chunk(int bytes)
    {
        Interlocked.Increment(ref _chunks);
        Interlocked.Add(ref _chunkBytes, bytes);
    }
}
