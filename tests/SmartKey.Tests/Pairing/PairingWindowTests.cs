using SmartKey.Firmware.Button;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Pairing;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Tests.Storage;
using Xunit;

namespace SmartKey.Tests.Pairing;

/// <summary>When a phone may pair, and what a pairing's outcome leaves behind (PairingWindow on its own, no device).</summary>
public class PairingWindowTests
{
    private readonly StorageWorld _world = new(StorageWorld.NewFlash());
    private readonly SimClock _clock = new(StorageWorld.Now);
    private readonly SimLed _led = new();
    private readonly PairingWindow _window;

    public PairingWindowTests()
    {
        var identity = new SmartKey.Firmware.Identity.ProvisionedIdentity(_world.Store);
        identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = "SK-WINDOW", W0 = new byte[32], L = new byte[65], OtaTrustKeys = new[] { new byte[65] } });
        _window = new PairingWindow(_world.Bindings, new OwnerInvite(new SeededEntropy(3), _clock), identity, new LogRecorder(_world.Log, _clock), new PairingLed(_led, _world.Bindings), _clock);
    }

    private LogEntry[] Entries()
    {
        var entries = new LogEntry[8];
        int n = _world.Log.ReadAfter(0, _clock.UnixSeconds, entries);
        return entries[..n];
    }

    [Fact]
    public void OpenWhileTheLockHasNoOwner() => Assert.True(_window.IsOpen);

    [Fact]
    public void AnOwnedLockOpensOnlyForTheOwnersTwoMinutesWithAFreshOneTimeVerifier()
    {
        _world.AddBinding(1, BindingRole.Owner);
        Assert.False(_window.IsOpen);
        Assert.Null(_window.VerifierW0);                         // the label's verifier no longer pairs
        byte[] code = _window.OpenForAnotherOwner(1);
        Assert.Equal(OwnerInvite.CodeLength, code.Length);
        Assert.NotEqual(new byte[32], _window.VerifierW0);
        Assert.Equal(65, _window.VerifierL.Length);
        Assert.NotEqual(code, _window.OpenForAnotherOwner(1));    // every window draws a new code
        _clock.Advance(119_990);
        Assert.True(_window.IsOpen);
        _clock.Advance(10);
        Assert.False(_window.IsOpen);
    }

    [Fact]
    public void APairingClosesTheOwnersWindowIsLoggedAndDarkensTheLed()
    {
        _world.AddBinding(1, BindingRole.Owner);
        _window.OpenForAnotherOwner(1);
        _led.Show(LedPattern.BlinkSlow);
        _window.OnPairingFinished(ErrorCode.Ok, 2);
        Assert.False(_window.IsOpen);
        Assert.Equal(LedPattern.Off, _led.Pattern);
        var entry = Assert.Single(Entries());
        Assert.Equal((LogAction.Paired, LogTrigger.Phone, (byte)2, ErrorCode.Ok), (entry.Action, entry.Trigger, entry.BindingId, entry.Result));
    }

    [Fact]
    public void AWrongSetupCodeIsLoggedOtherRefusalsAreNot()
    {
        _window.OnPairingFinished(ErrorCode.MalformedFrame, 0);
        _window.OnPairingFinished(ErrorCode.NoPairingInProgress, 0);
        Assert.Empty(Entries());
        _window.OnPairingFinished(ErrorCode.WrongSetupCode, 0);
        var entry = Assert.Single(Entries());
        Assert.Equal((LogAction.PairingFailed, LogTrigger.NoBinding, ErrorCode.WrongSetupCode), (entry.Action, entry.BindingId, entry.Result));
        Assert.True(_window.IsOpen);              // no owner yet: still open
    }
}
