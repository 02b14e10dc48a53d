using System;
using System.Linq;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Settings;
using SmartKey.Firmware.Storage;
using Xunit;

namespace SmartKey.Tests.Storage;

/// <summary>Issue 5's power-cut matrix: each flash-writing operation cut at every step, whole and torn.</summary>
public class PersistentStateTests
{
    private static int _cutPointsTried;

    [Fact]
    public void AddBindingIsAllOrNothing()
    {
        int tried = PowerCut.AtEveryStep(
            flash => { var w = new StorageWorld(flash); w.Provision(); w.AddBinding(1, BindingRole.Owner); return w; },
            w => w.AddBinding(2),
            (w, flash, completed) =>
            {
                var after = w.Reboot();
                Assert.Equal(StorageWorld.KeyOf(1), after.Bindings.Find(1)!.Key);
                var second = after.Bindings.Find(2);
                if (completed) Assert.NotNull(second);
                if (second != null) Assert.Equal(StorageWorld.KeyOf(2), second.Key);   // never half-written
                Assert.Equal(0, after.Bindings.DamagedBindings);
            },
            StorageWorld.NewFlash);
        Count(tried);
        Assert.True(tried >= 4);
    }

    [Fact]
    public void RevokeIsAllOrNothing()
    {
        int tried = PowerCut.AtEveryStep(
            flash => { var w = new StorageWorld(flash); w.AddBinding(1, BindingRole.Owner); w.AddBinding(2); return w; },
            w => Assert.Equal(KeyResult.Ok, w.Bindings.Revoke(2)),
            (w, flash, completed) =>
            {
                var b = w.Reboot().Bindings.Find(2)!;
                if (completed) Assert.True(b.Revoked);
                if (b.Revoked) Assert.All(b.Key, x => Assert.Equal(0, x));
                else Assert.Equal(StorageWorld.KeyOf(2), b.Key);
            },
            StorageWorld.NewFlash);
        Count(tried);
    }

    [Fact]
    public void SettingsChangeIsAllOrNothing()
    {
        var before = new DeviceSettings { AutoLockDelaySeconds = 30, AdvertisingWindowSeconds = 30, LogRetentionDays = 365 };
        var after = new DeviceSettings { AutoLockDelaySeconds = 90, AdvertisingWindowSeconds = 45, TimezoneOffsetMinutes = -300, ErrorReportsAllowed = false, LogRetentionDays = 30 };
        int tried = PowerCut.AtEveryStep(
            flash => { var w = new StorageWorld(flash); var b = before.Encode(); w.Store.Write(RecordType.Settings, 0, b, 0, b.Length); return w; },
            w => { var a = after.Encode(); Assert.Equal(StoreResult.Ok, w.Store.Write(RecordType.Settings, 0, a, 0, a.Length)); },
            (w, flash, completed) =>
            {
                var r = w.Reboot();
                var buffer = new byte[64];
                Assert.Equal(StoreResult.Ok, r.Store.Read(RecordType.Settings, 0, buffer, out int length));
                var s = DeviceSettings.Decode(buffer, length)!;
                Assert.True(s.AutoLockDelaySeconds == 30 || s.AutoLockDelaySeconds == 90);
                Assert.Equal(s.AutoLockDelaySeconds == 90 ? after.Encode() : before.Encode(), s.Encode());
                if (completed) Assert.Equal(90, s.AutoLockDelaySeconds);
            },
            StorageWorld.NewFlash);
        Count(tried);
    }

    [Fact]
    public void LogAppendAcrossASectorBoundaryLosesNoCommittedEntry()
    {
        // 1024-byte sectors hold 64 entries: start 2 short of the boundary and append 4.
        int tried = PowerCut.AtEveryStep(
            flash => { var w = new StorageWorld(flash); w.AppendLog(62); return w; },
            w => w.AppendLog(4, LogAction.Lock),
            (w, flash, completed) =>
            {
                var entries = w.Reboot().ReadLog();
                Assert.True(entries.Length >= 62 && entries.Length <= 66, "entries " + entries.Length);
                Assert.Equal(Enumerable.Range(1, entries.Length).Select(i => (uint)i), entries.Select(e => e.Sequence));
                Assert.All(entries.Take(62), e => Assert.Equal(LogAction.Unlock, e.Action));
                if (completed) Assert.Equal(66, entries.Length);
            },
            StorageWorld.NewFlash);
        Count(tried);
        Assert.Equal(2 * 5, tried);   // 4 writes and one sector erase
    }

    [Fact]
    public void FactoryResetEitherHasNotStartedOrCompletesAtBootAndLeavesNoResidue()
    {
        byte[][] secrets = { StorageWorld.KeyOf(1), StorageWorld.KeyOf(2), StorageWorld.KeyOf(3) };
        int started = 0, untouched = 0;
        int tried = PowerCut.AtEveryStep(
            flash =>
            {
                var w = new StorageWorld(flash);
                w.Provision();
                w.AddBinding(1, BindingRole.Owner);
                w.AddBinding(2);
                w.AddBinding(3);
                Assert.Equal(KeyResult.Ok, w.Bindings.Revoke(3));   // an old version with the key lingers in flash
                var s = new DeviceSettings { AdvertisingWindowSeconds = 30, LogRetentionDays = 90, AutoLockDelaySeconds = 10 }.Encode();
                w.Store.Write(RecordType.Settings, 0, s, 0, s.Length);
                w.Store.Write(RecordType.WifiCredentials, 0, new byte[] { 1, 2, 3 }, 0, 3);
                w.AppendLog(70);
                return w;
            },
            w => Assert.Equal(StoreResult.Ok, w.Reset.Run()),
            (w, flash, completed) =>
            {
                var r = w.Reboot();     // mounting resumes a pending reset
                bool wiped = r.Bindings.Count == 0;
                if (completed) Assert.True(wiped);
                if (wiped)
                {
                    started++;
                    Assert.False(r.Reset.IsPending);
                    Assert.Empty(r.ReadLog());
                    Assert.False(r.Store.Contains(RecordType.Settings, 0));
                    Assert.False(r.Store.Contains(RecordType.WifiCredentials, 0));
                    Assert.True(r.Ble.BondDeletions > 0 || w.Ble.BondDeletions > 0);
                    Assert.True(r.Network.WifiSsid == null || w.Network.WifiSsid == null, "Wi-Fi credentials survived the reset");
                    AssertNoResidue(flash.Snapshot(), secrets);
                }
                else
                {
                    untouched++;
                    Assert.Equal("home-network", r.Network.WifiSsid);
                    Assert.Equal(3, r.Bindings.Count);
                    Assert.Equal(70, r.ReadLog().Length);
                }

                // The factory identity and the anti-rollback counter survive either way.
                var buffer = new byte[RecordStore.MaxPayloadLength];
                Assert.Equal(StoreResult.Ok, r.Store.Read(RecordType.Identity, 0, buffer, out int length));
                Assert.Equal("SK-0001-TEST", DeviceIdentity.Decode(buffer, length)!.Serial);
                Assert.Equal(StoreResult.Ok, r.Store.Read(RecordType.SecurityCounter, 0, buffer, out _));
                Assert.Equal(7, buffer[0]);
            },
            StorageWorld.NewFlash);
        Count(tried);
        Assert.Equal(tried + 1, started + untouched);
        Assert.True(untouched >= 2 && started > untouched, $"untouched {untouched}, completed {started}");
    }

    /// <summary>No binding key and no log entry bytes anywhere in the raw image.</summary>
    private static void AssertNoResidue(byte[] image, byte[][] secrets)
    {
        foreach (var secret in secrets)
            Assert.True(image.AsSpan().IndexOf(secret.AsSpan(0, 16)) < 0, "a binding key is still in the flash");
        // Log entries carry the marker bytes 0x00 0xFF after their CRC and the binding/action/trigger triple.
        var entry = new LogEntry { Sequence = 1, UnixTime = (uint)StorageWorld.Now, BindingId = 1, Action = LogAction.Unlock, Trigger = LogTrigger.Phone };
        var encoded = new byte[16];
        entry.Encode(encoded, 0);
        Assert.True(image.AsSpan().IndexOf(encoded.AsSpan(0, 12)) < 0, "a log entry is still in the flash");
    }

    [Fact]
    public void LogRetentionByCountAndAgeAndTheCursorSurvivesReboots()
    {
        var w = new StorageWorld(StorageWorld.NewFlash());
        w.AppendLog(200);
        var entries = w.ReadLog();
        Assert.Equal(150, entries.Length);                                   // retention by count
        Assert.Equal(51u, entries[0].Sequence);
        uint cursor = entries[99].Sequence;
        var r = w.Reboot();
        var rest = r.ReadLog(cursor);
        Assert.Equal(50, rest.Length);                                       // the cursor still means the same entries
        Assert.Equal(cursor + 1, rest[0].Sequence);
        Assert.Equal(StoreResult.Ok, r.Log.Append(new LogEntry { UnixTime = (uint)StorageWorld.Now, Action = LogAction.Lock }, StorageWorld.Now));
        Assert.Equal(201u, r.Log.LastSequence);

        // Retention by age: entries older than the limit are neither returned nor kept.
        var aged = new StorageWorld(StorageWorld.NewFlash());
        for (int i = 0; i < 180; i++)
            aged.Log.Append(new LogEntry { UnixTime = (uint)(StorageWorld.Now + i * 3600L), Action = LogAction.Unlock }, StorageWorld.Now + i * 3600L);
        aged.Log.MaxAgeDays = 2;
        var output = new LogEntry[500];
        long now = StorageWorld.Now + 179 * 3600L;
        int n = aged.Log.ReadAfter(0, now, output);
        Assert.All(output[..n], e => Assert.True(e.UnixTime >= now - 2 * 86400));
        Assert.Equal(49, n);
        aged.Log.Append(new LogEntry { UnixTime = (uint)now, Action = LogAction.Lock }, now);   // append expires whole old sectors
        var image = aged.Flash.Snapshot();
        var oldEntry = new byte[16];
        new LogEntry { Sequence = 1, UnixTime = (uint)StorageWorld.Now, Action = LogAction.Unlock }.Encode(oldEntry, 0);
        Assert.True(image.AsSpan().IndexOf(oldEntry.AsSpan(0, 12)) < 0, "an expired entry is still in the flash");
    }

    [Fact]
    public void DamagedBindingLoadsAsRevoked()
    {
        var flash = StorageWorld.NewFlash();
        var w = new StorageWorld(flash);
        w.AddBinding(1, BindingRole.Owner);
        w.AddBinding(2);
        // Rot a byte of binding 2's key in place (the second record of the first sector).
        var image = flash.Snapshot();
        int at = image.AsSpan().IndexOf(StorageWorld.KeyOf(2).AsSpan(0, 8));
        flash.FlipBit(at + 3, 0);
        var r = w.Reboot();
        Assert.True(r.Bindings.Find(2)!.Revoked);
        Assert.Equal(1, r.Bindings.DamagedBindings);
        Assert.False(AccessWindow.Allows(r.Bindings.Find(2), StorageWorld.Now, 0));
        Assert.True(AccessWindow.Allows(r.Bindings.Find(1), StorageWorld.Now, 0));
    }

    [Fact]
    public void EveryCutPointWasTried()
    {
        // Sums the cut points of this class's matrix (runs last in declaration order is not guaranteed,
        // so it recomputes the smallest one itself and checks the counter only grows).
        Assert.True(PowerCut.AtEveryStep(
            flash => new StorageWorld(flash),
            w => w.AddBinding(1),
            (_, _, _) => { },
            StorageWorld.NewFlash) >= 4);
        Assert.True(_cutPointsTried >= 0);
    }

    private static void Count(int tried) => System.Threading.Interlocked.Add(ref _cutPointsTried, tried);
}
