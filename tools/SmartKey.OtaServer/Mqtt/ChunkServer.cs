using System;
using System.Buffers.Binary;
using SmartKey.Firmware.Ota;
using SmartKey.OtaServer.Devices;
using SmartKey.OtaServer.Images;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Mqtt;

/// <summary>
/// Answers a lock's chunk request (offset u32 LE, length u16 LE) with offset u32 LE + the bytes, from the
/// stored image of the release the lock is assigned now, and nothing else: an unknown lock, a lock with no
/// offered or downloading action, a malformed or out-of-range request, or a lock over its rate limit gets
/// no reply, only a count.
/// </summary>
public sealed class ChunkServer
{
    private readonly DeviceService _devices;
    private readonly RolloutDriver _driver;
    private readonly ImageStore _images;
    private readonly Counters _counters;
    private readonly ChunkRateLimit _limit;

    public ChunkServer(DeviceService devices, RolloutDriver driver, ImageStore images, Counters counters, ChunkRateLimit limit)
    {
        _devices = devices;
        _driver = driver;
        _images = images;
        _counters = counters;
        _limit = limit;
    }

    public byte[]? Answer(string serial, byte[] request)
    {
        if (!_devices.IsKnown(serial))
        {
            _counters.Add(Counters.ChunkUnknownSerial);
            return null;
        }

        if (!Admissible(serial, request)) return null;
        var assignment = _driver.Assignment(serial) ?? _driver.ClaimRetry(serial);
        if (assignment == null)
        {
            _counters.Add(Counters.ChunkUnassigned);
            return null;
        }

        return Serve(serial, request, assignment.Value);
    }

    /// <summary>
    /// The same answer as Answer when it needs nothing from the database (the steady state of a download: the
    /// serial and the lock's downloading assignment are in memory), so the MQTT link can reply without handing
    /// the request to a worker; false when it would need the database (the caller then uses Answer).
    /// </summary>
    public bool TryAnswerFromMemory(string serial, byte[] request, out byte[]? reply)
    {
        reply = null;
        if (!_devices.IsKnownFromMemory(serial)) return false;
        var assignment = _driver.AssignmentFromMemory(serial);
        if (assignment == null || assignment.Value.state != ActionStates.Downloading) return false;
        if (Admissible(serial, request)) reply = Serve(serial, request, assignment.Value);
        return true;
    }

    private bool Admissible(string serial, byte[] request)
    {
        if (request.Length != 6)
        {
            _counters.Add(Counters.ChunkMalformed);
            return false;
        }

        if (!_limit.TryTake(serial))
        {
            _counters.Add(Counters.ChunkRateLimited);
            return false;
        }

        return true;
    }

    private byte[]? Serve(string serial, byte[] request, (long rolloutId, string releaseId, string state) assignment)
    {
        byte[] image = _images.Get(assignment.releaseId);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(request);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4));
        if (length == 0 || length > UpdateAgent.MaxChunk || offset >= image.Length)
        {
            _counters.Add(Counters.ChunkMalformed);
            return null;
        }

        length = (int)Math.Min(length, image.Length - offset);
        var reply = new byte[4 + length];
        BinaryPrimitives.WriteUInt32LittleEndian(reply, (uint)offset);
        Array.Copy(image, offset, reply, 4, length);
        if (assignment.state == ActionStates.Offered) _driver.Started(assignment.rolloutId, serial);
        _counters.Add(Counters.ChunksServed);
        return reply;
    }
}
