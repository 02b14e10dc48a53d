using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SmartKey.Phone;

namespace SmartKey.Cli;

/// <summary>The phone's credentials in a JSON file (default ~/.smartkey/wallet.json, owner-only permissions).</summary>
public sealed class Wallet
{
    private sealed record Entry(string Serial, byte BindingId, byte Role, string Key);

    private readonly string _path;
    private readonly List<Credential> _credentials = new();

    public Wallet(string path)
    {
        _path = path;
        if (File.Exists(path))
        {
            var entries = JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(path)) ?? new List<Entry>();
            _credentials.AddRange(entries.Select(e => new Credential(e.Serial, e.BindingId, e.Role, Convert.FromHexString(e.Key))));
        }
    }

    public static string DefaultPath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".smartkey", "wallet.json");

    public IReadOnlyList<Credential> Credentials => _credentials;

    /// <summary>
    /// Stores a credential for its lock. A guest pass never silently replaces an owner key for the same lock
    /// (the owner would be locked out of their own lock): that needs replaceStronger.
    /// </summary>
    public void Save(Credential credential, bool replaceStronger = false)
    {
        var existing = _credentials.FirstOrDefault(c => c.Serial == credential.Serial);
        if (existing != null && existing.IsOwner && !credential.IsOwner && !replaceStronger)
            throw new CliException($"{_path} holds owner key #{existing.BindingId} for lock {credential.Serial}; this guest key would replace it and lock you out. Keep the owner key, or add --replace if you really mean to drop it");
        _credentials.RemoveAll(c => c.Serial == credential.Serial);
        _credentials.Add(credential);
        Write();
    }

    public void Forget(string serial)
    {
        _credentials.RemoveAll(c => c.Serial == serial);
        Write();
    }

    /// <summary>
    /// Atomic and private: a temporary file beside the wallet, created owner-only (never readable by others,
    /// not even for a moment), flushed to disk, then renamed over the wallet. A crash leaves the old or the
    /// new wallet, never a torn one.
    /// </summary>
    private void Write()
    {
        string full = Path.GetFullPath(_path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var entries = _credentials.Select(c => new Entry(c.Serial, c.BindingId, c.Role, Convert.ToHexString(c.Key))).ToList();
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entries, new JsonSerializerOptions { WriteIndented = true });
        string temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The credential for a serial, or the only one when no serial is given.</summary>
    public Credential Find(string? serial)
    {
        if (serial != null)
            return _credentials.FirstOrDefault(c => c.Serial == serial) ?? throw new CliException($"no key for lock {serial} in {_path}: pair or import first");
        return _credentials.Count switch
        {
            0 => throw new CliException($"no keys in {_path}: run 'smartkey pair' or 'smartkey import'"),
            1 => _credentials[0],
            _ => throw new CliException("several locks in the wallet: say which with --serial"),
        };
    }
}

public sealed class CliException : Exception
{
    public CliException(string message) : base(message) { }
}
