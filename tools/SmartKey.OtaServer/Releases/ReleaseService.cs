using System;
using System.Collections.Generic;
using System.Linq;
using Dapper;
using SmartKey.Firmware.Text;
using SmartKey.OtaServer.Images;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.Releases;

/// <summary>Uploads (verified like a lock verifies, then stored by content) and the list of releases.</summary>
public sealed class ReleaseService
{
    public sealed record AddResult(Release? Release, bool Created, string? Refusal);

    private readonly Database _db;
    private readonly ImageStore _images;
    private readonly Counters _counters;
    private readonly byte[][] _trustKeys;
    private readonly string[] _hardwareIds;
    private readonly int _maxImageBytes;
    private readonly TimeProvider _clock;
    private readonly object _uploadLock = new();

    public ReleaseService(Database db, ImageStore images, Counters counters, byte[][] trustKeys, string[] hardwareIds, int maxImageBytes, TimeProvider clock)
    {
        _db = db;
        _images = images;
        _counters = counters;
        _trustKeys = trustKeys;
        _hardwareIds = hardwareIds;
        _maxImageBytes = maxImageBytes;
        _clock = clock;
    }

    public AddResult Add(byte[] image, string actor)
    {
        Operators.Check(actor);
        lock (_uploadLock)
        {
            string id = ImageStore.IdOf(image);
            var existing = Get(id);
            if (existing != null) return new AddResult(existing, false, null);      // the same bytes again: nothing new

            var verdict = ReleaseCheck.Verify(image, _trustKeys, _hardwareIds, _maxImageBytes, NewestFor);
            if (!verdict.Accepted)
            {
                _counters.Add(Counters.UploadRefused);
                return new AddResult(null, false, verdict.Reason);
            }

            _images.Put(image);
            long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var release = new Release
            {
                Id = id, Version = verdict.Header!.Version, SecurityCounter = verdict.SecurityCounter, HardwareId = verdict.HardwareId!,
                Size = image.Length, CreatedAt = now, CreatedBy = actor,
            };
            _db.InTransaction((c, tx) =>
            {
                c.Execute("INSERT INTO releases (id, version, security_counter, hardware_id, size, created_at, created_by) VALUES (@Id, @Version, @SecurityCounter, @HardwareId, @Size, @CreatedAt, @CreatedBy)", release, tx);
                AuditLog.Write(c, tx, now, actor, "release:" + id, "added", $"version {release.Version}, counter {release.SecurityCounter}, hardware {release.HardwareId}, {release.Size} bytes");
            });
            return new AddResult(release, true, null);
        }
    }

    public Release? Get(string id)
    {
        using var c = _db.Connect();
        return c.QuerySingleOrDefault<Release>("SELECT * FROM releases WHERE id = @id", new { id });
    }

    public IReadOnlyList<Release> List()
    {
        using var c = _db.Connect();
        return c.Query<Release>("SELECT * FROM releases ORDER BY created_at, id").ToList();
    }

    private (string version, uint counter)? NewestFor(string hardwareId)
    {
        Release? newest = null;
        foreach (var r in List().Where(r => r.HardwareId == hardwareId))
            if (newest == null || VersionOrder.Compare(r.Version, newest.Version) > 0) newest = r;
        return newest == null ? null : (newest.Version, (uint)newest.SecurityCounter);
    }
}
