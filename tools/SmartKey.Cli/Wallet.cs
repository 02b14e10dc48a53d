using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SmartKey.Phone;

namespace SmartKey.Cli;

/// <summary>
/// The phone's credentials in a JSON file (default ~/.smartkey/wallet.json, owner-only permissions). An entry
/// with "Pending": true is an owner key kept while pairing, before the lock was allowed to store it
/// (protocol.md §4, "Never a ghost owner"): its binding id is not known yet, so it opens nothing until
/// ConfirmPending (or `smartkey pair --resume`) gives it one.
/// </summary>
public sealed class Wallet
{
    private sealed record Entry(string Serial, byte BindingId, byte Role, string Key, bool Pending = false);

    private readonly string _path;
    private readonly List<Credential> _credentials = new();
    private readonly List<Credential> _pending = new();
    private readonly Action<string>? _beforeWrite;

    /// <param name="beforeWrite">Called with the reason of each write before it happens ("check", "pending", "confirm", "save", "forget"): tests inject failures here.</param>
    public Wallet(string path, Action<string>? beforeWrite = null)
    {
        _path = path;
        _beforeWrite = beforeWrite;
        if (File.Exists(path))
        {
            var entries = JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(path)) ?? new List<Entry>();
            foreach (var e in entries)
                (e.Pending ? _pending : _credentials).Add(new Credential(e.Serial, e.BindingId, e.Role, Convert.FromHexString(e.Key)));
        }
    }

    public string Path => _path;

    /// <summary>Rewrites the wallet as it is, so a wallet that cannot be written is found before anything is sent to a lock.</summary>
    public void CheckWritable() => Write("check");

    /// <summary>Keeps an owner key whose binding id the lock has not said yet; written before PairConfirm.</summary>
    public void SavePending(string serial, byte[] key)
    {
        _pending.RemoveAll(c => c.Serial == serial);
        _pending.Add(new Credential(serial, 0, SmartKey.Firmware.Keys.BindingRole.Owner, key));
        Write("pending");
    }

    /// <summary>The lock accepted the pending key under this id: it becomes the wallet's key for that lock.</summary>
    public void ConfirmPending(Credential credential)
    {
        _pending.RemoveAll(c => c.Serial == credential.Serial);
        _credentials.RemoveAll(c => c.Serial == credential.Serial);
        _credentials.Add(credential);
        Write("confirm");
    }

    /// <summary>The lock did not store the pending key (it refused PairConfirm): forget it.</summary>
    public void DropPending(string serial)
    {
        if (_pending.RemoveAll(c => c.Serial == serial) > 0) Write("forget");
    }

    public Credential? FindPending(string serial) => _pending.FirstOrDefault(c => c.Serial == serial);

    public static string DefaultPath => System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".smartkey", "wallet.json");

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
        Write("save");
    }

    public void Forget(string serial)
    {
        _credentials.RemoveAll(c => c.Serial == serial);
        Write("forget");
    }

    /// <summary>
    /// Atomic and private: a temporary file beside the wallet, created owner-only (never readable by others,
    /// not even for a moment), flushed to disk, then renamed over the wallet. A crash leaves the old or the
    /// new wallet, never a torn one.
    /// </summary>
    private void Write(string reason)
    {
        try
        {
            _beforeWrite?.Invoke(reason);
            WriteFile();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = Directory.Exists(_path) ? "it is a folder"
                : e is UnauthorizedAccessException ? "permission denied"
                : e is FileNotFoundException or DirectoryNotFoundException ? "its folder takes no new files"
                : e.Message.TrimEnd('.');
            throw new WalletWriteException(_path, why);
        }
    }

    private void WriteFile()
    {
        string full = System.IO.Path.GetFullPath(_path);
        if (Directory.Exists(full)) throw new IOException("it is a folder");
        string dir = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var entries = _credentials.Select(c => new Entry(c.Serial, c.BindingId, c.Role, Convert.ToHexString(c.Key)))
            .Concat(_pending.Select(c => new Entry(c.Serial, 0, c.Role, Convert.ToHexString(c.Key), Pending: true))).ToList();
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entries, new JsonSerializerOptions { WriteIndented = true });
        string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
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

    private string PendingHint(string serial) =>
        $"{_path} keeps a pending key for lock {serial} (its pairing did not finish): 'smartkey pair --lock {serial} --resume N' with the key number N that pairing printed (an owner's 'smartkey log' shows it as 'paired')";

    /// <summary>The credential for a serial, or the only one when no serial is given.</summary>
    public Credential Find(string? serial)
    {
        if (serial != null)
        {
            var found = _credentials.FirstOrDefault(c => c.Serial == serial);
            if (found != null) return found;
            if (FindPending(serial) != null) throw new CliException(PendingHint(serial));
            throw new CliException($"no key for lock {serial} in {_path}: pair or import first");
        }

        return _credentials.Count switch
        {
            0 when _pending.Count > 0 => throw new CliException(PendingHint(_pending[0].Serial)),
            0 => throw new CliException($"no keys in {_path}: run 'smartkey pair' or 'smartkey import'"),
            1 => _credentials[0],
            _ => throw new CliException("several locks in the wallet: say which with --serial"),
        };
    }
}

public class CliException : Exception
{
    public CliException(string message) : base(message) { }
}

/// <summary>The wallet file could not be written; Reason says why in a few words.</summary>
public sealed class WalletWriteException : CliException
{
    public WalletWriteException(string path, string reason) : base($"cannot write the wallet {path} ({reason}): give a file in a folder you can write with --wallet")
    {
        WalletPath = path;
        Reason = reason;
    }

    public string WalletPath { get; }

    public string Reason { get; }
}
