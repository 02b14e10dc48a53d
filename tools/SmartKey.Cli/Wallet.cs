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

    public void Save(Credential credential)
    {
        _credentials.RemoveAll(c => c.Serial == credential.Serial);
        _credentials.Add(credential);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var entries = _credentials.Select(c => new Entry(c.Serial, c.BindingId, c.Role, Convert.ToHexString(c.Key))).ToList();
        File.WriteAllText(_path, JsonSerializer.Serialize(entries, new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Forget(string serial)
    {
        _credentials.RemoveAll(c => c.Serial == serial);
        File.WriteAllText(_path, JsonSerializer.Serialize(_credentials.Select(c => new Entry(c.Serial, c.BindingId, c.Role, Convert.ToHexString(c.Key))).ToList()));
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
