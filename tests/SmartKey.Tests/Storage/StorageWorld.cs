using System;
using System.Linq;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Reset;
using SmartKey.Firmware.Settings;
using SmartKey.Firmware.Storage;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Storage;

/// <summary>A device's persistent state on one flash, as the core mounts it at boot.</summary>
public sealed class StorageWorld
{
    public const int SectorSize = 1024;
    public const int Sectors = 16;
    public const long Now = 1_767_225_600;

    public StorageWorld(NorFlash flash)
    {
        Flash = flash;
        Ble = new SimBleLink();
        Network = new SimMqttLink();
        Store = new RecordStore(flash, 0, 8);
        Log = new UnlockLog(flash, 8, 4, maxEntries: 150, maxAgeDays: 30);
        Bindings = new BindingStore(Store, 8);
        Reset = new FactoryReset(Store, Log, Ble, Network);
        Assert.Equal(StoreResult.Ok, Store.Mount());
        Assert.Equal(StoreResult.Ok, Log.Mount());
        Assert.Equal(StoreResult.Ok, Reset.ResumeIfPending());
        Bindings.Load();
    }

    public NorFlash Flash { get; }
    public SimBleLink Ble { get; }

    /// <summary>The network stack's own Wi-Fi store (outside the record store), which a reset must clear too.</summary>
    public SimMqttLink Network { get; }
    public RecordStore Store { get; }
    public UnlockLog Log { get; }
    public BindingStore Bindings { get; }
    public FactoryReset Reset { get; }

    public static NorFlash NewFlash() => new(SectorSize, Sectors);

    /// <summary>Reboot: a new core mounts the same flash.</summary>
    public StorageWorld Reboot() => new(Flash);

    public static byte[] KeyOf(int n) => Enumerable.Range(0, 32).Select(i => (byte)(0xA0 ^ (n * 17 + i * 5))).ToArray();

    public static DeviceIdentity Identity() => new()
    {
        Serial = "SK-0001-TEST",
        W0 = Enumerable.Repeat((byte)0x11, 32).ToArray(),
        L = new byte[] { 4 }.Concat(Enumerable.Repeat((byte)0x22, 64)).ToArray(),
        OtaTrustKeys = new[] { new byte[] { 4 }.Concat(Enumerable.Repeat((byte)0x33, 64)).ToArray() },
    };

    public Binding AddBinding(int n, byte role = BindingRole.Guest)
    {
        var b = new Binding { Role = role, Key = KeyOf(n), ValidFrom = 0, ValidUntil = 0 };
        Assert.Equal(KeyResult.Ok, Bindings.Add(b));
        return b;
    }

    public void Provision()
    {
        var id = Identity().Encode();
        Assert.Equal(StoreResult.Ok, Store.Write(RecordType.Identity, 0, id, 0, id.Length));
        var counter = new byte[] { 7, 0, 0, 0 };
        Assert.Equal(StoreResult.Ok, Store.Write(RecordType.SecurityCounter, 0, counter, 0, 4));
    }

    public void AppendLog(int count, byte action = LogAction.Unlock)
    {
        for (int i = 0; i < count; i++)
            Assert.Equal(StoreResult.Ok, Log.Append(new LogEntry { UnixTime = (uint)(Now + i), BindingId = 1, Action = action, Trigger = LogTrigger.Phone }, Now + i));
    }

    public LogEntry[] ReadLog(uint cursor = 0)
    {
        var output = new LogEntry[2000];
        int n = Log.ReadAfter(cursor, Now + 100_000, output);
        return output[..n];
    }
}
