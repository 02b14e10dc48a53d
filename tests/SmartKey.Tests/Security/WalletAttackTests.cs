using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using SmartKey.Cli;
using SmartKey.Firmware.Keys;
using SmartKey.Phone;
using Xunit;

namespace SmartKey.Tests.Security;

/// <summary>Item 12: the phone CLI's wallet keeps the owner's key, and keeps every key private and whole.</summary>
public sealed class WalletAttackTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sk-wallet-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static Credential Key(string serial, byte id, byte role) => new(serial, id, role, Enumerable.Repeat((byte)(id + role), 32).ToArray());

    private static (int exit, string output, string error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Build(output, error).Parse(args).Invoke();
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void ImportingAGuestPassForTheSameLockDoesNotSilentlyReplaceTheOwnerKey()
    {
        string path = Path.Combine(_dir, "wallet.json");
        var owner = Key("SK-1", 1, BindingRole.Owner);
        new Wallet(path).Save(owner);
        // A "guest pass" for the owner's own lock, sent by anyone (a prank, or a former co-owner).
        string pass = Key("SK-1", 7, BindingRole.Guest).ToPass();
        var refused = Cli("import", pass, "--wallet", path);
        Assert.Equal(2, refused.exit);
        Assert.Contains("owner key", refused.error);
        var kept = new Wallet(path).Find("SK-1");
        Assert.True(kept.IsOwner);
        Assert.Equal(owner.Key, kept.Key);

        var replaced = Cli("import", pass, "--wallet", path, "--replace");       // only when asked for
        Assert.Equal(0, replaced.exit);
        Assert.False(new Wallet(path).Find("SK-1").IsOwner);
    }

    [Fact]
    public void AReaderNeverSeesATornOrWorldReadableWallet()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(_dir);
        var keys = Enumerable.Range(0, 200).Select(i => Key("SK-" + i, (byte)(i % 250 + 1), BindingRole.Owner)).ToList();
        var problems = new List<string>();
        using var stop = new CancellationTokenSource();
        var watcher = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var file in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories))
                {
                    try
                    {
                        var mode = File.GetUnixFileMode(file);
                        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0) problems.Add("mode " + mode + " on " + file);
                        if (!file.EndsWith(".json", StringComparison.Ordinal)) continue;
                        string text = File.ReadAllText(file);
                        if (!text.TrimEnd().EndsWith(']')) problems.Add("torn " + file + " (" + text.Length + " chars)");
                    }
                    catch (FileNotFoundException)
                    {
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            }
        });
        watcher.Start();
        for (int round = 0; round < 60; round++)
        {
            var wallet = new Wallet(Path.Combine(_dir, "w" + round + ".json"));      // a fresh file: the moment of creation counts
            foreach (var k in keys.Take(20 + round)) wallet.Save(k);
        }

        stop.Cancel();
        watcher.Join();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(5)));
        foreach (var file in Directory.EnumerateFiles(_dir)) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(79, new Wallet(Path.Combine(_dir, "w59.json")).Credentials.Count);
    }
}
