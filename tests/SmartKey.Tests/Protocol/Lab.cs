using System;
using System.Linq;
using SmartKey.Firmware.Keys;
using SmartKey.Phone;
using SmartKey.Simulator;
using Xunit;

namespace SmartKey.Tests.Protocol;

/// <summary>A provisioned simulated lock with phones next to it; Owner pairs on demand.</summary>
public sealed class Lab
{
    public const string Serial = "SK-LAB-0001";
    public const string Code = "3141592653";
    public static readonly DateTimeOffset Tuesday = new(2026, 3, 3, 9, 0, 0, TimeSpan.Zero);

    public Lab(ulong seed = 1, bool pairOwner = true, byte[]? otaTrustKey = null)
    {
        Device = new SimulatedDevice(SmartKey.Simulator.EmbeddedConfig.Load(), seed);
        Device.Hardware.Clock.SetUnixSeconds(Tuesday.ToUnixTimeSeconds());
        Device.Boot();
        var (w0, l) = Verifier;
        var identity = new SmartKey.Firmware.Identity.DeviceIdentity { Serial = Serial, W0 = w0, L = l, OtaTrustKeys = new[] { otaTrustKey ?? l } };
        Assert.Equal(SmartKey.Firmware.Storage.StoreResult.Ok, Device.Core.Identity.Provision(identity));
        Phone = NewPhone();
        if (pairOwner)
        {
            Phone.Connect();
            Owner = Phone.Pair(Code, Serial, "owner");
            Phone.Disconnect();
        }
    }

    // PBKDF2 once per test run, not once per lab.
    private static readonly (byte[] w0, byte[] l) Verifier = SetupCode.Verifier(Code, Serial);

    public SimulatedDevice Device { get; }

    public SmartKeyPhone Phone { get; }

    public Credential? Owner { get; }

    public SmartKeyPhone NewPhone() => new(new SimulatedPhoneTransport(Device));

    /// <summary>Connect, open a session with a first command, run more, hang up.</summary>
    public T WithSession<T>(Credential credential, Func<PhoneSession, T> work, SmartKeyPhone? phone = null)
    {
        phone ??= Phone;
        Device.Touch();
        phone.Connect();
        try
        {
            var session = phone.Open(credential, SmartKey.Firmware.Protocol.CommandId.Status, Array.Empty<byte>(), out _);
            return work(session);
        }
        finally
        {
            phone.Disconnect();
        }
    }

    /// <summary>The device state a refused input must not change: keys, settings, bolt, motor, identity, Wi-Fi.</summary>
    public string Fingerprint()
    {
        var core = Device.Core;
        string keys = string.Join(";", core.Bindings.All().Select(b => Convert.ToHexString(b.Encode())));
        return $"{keys}|{Convert.ToHexString(core.Settings.Current.Encode())}|{core.Lock.State}|{Device.Hardware.Mechanism.Drive}|{Device.Hardware.Mechanism.PositionMs}|{core.Identity.Current?.Serial}|{Device.Hardware.Mqtt.WifiSsid}";
    }
}
