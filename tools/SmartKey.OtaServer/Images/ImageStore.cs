using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;

namespace SmartKey.OtaServer.Images;

/// <summary>
/// Release images on disk, content-addressed: images/&lt;first two hex digits&gt;/&lt;sha-256 hex&gt;.img. A write goes
/// to a temporary file that is renamed into place, so a power cut leaves the old state or the whole image.
/// Reads are cached in memory (a cache only: it is rebuilt from the files).
/// </summary>
public sealed class ImageStore
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, byte[]> _cache = new();

    public ImageStore(string dataDirectory)
    {
        _root = Path.Combine(Path.GetFullPath(dataDirectory), "images");
        Directory.CreateDirectory(_root);
    }

    public static string IdOf(byte[] image) => Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant();

    public string PathOf(string id)
    {
        if (id.Length != 64 || !IsHex(id)) throw new ArgumentException("an image id is 64 hex digits", nameof(id));
        return Path.Combine(_root, id[..2], id + ".img");
    }

    public string Put(byte[] image)
    {
        string id = IdOf(image);
        string path = PathOf(id);
        if (File.Exists(path)) return id;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            f.Write(image);
            f.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return id;
    }

    /// <summary>The image, checked against its address (a damaged file is refused, never served).</summary>
    public byte[] Get(string id)
    {
        if (_cache.TryGetValue(id, out var cached)) return cached;
        byte[] image = File.ReadAllBytes(PathOf(id));
        if (IdOf(image) != id) throw new InvalidDataException($"image {id} on disk does not match its SHA-256");
        _cache[id] = image;
        return image;
    }

    private static bool IsHex(string s)
    {
        foreach (char c in s) if (!Uri.IsHexDigit(c)) return false;
        return true;
    }
}
