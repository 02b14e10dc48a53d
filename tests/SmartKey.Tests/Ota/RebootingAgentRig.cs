using System.Collections.Generic;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Hal.Simulated;
using SmartKey.Ota;
using Xunit;

namespace SmartKey.Tests.Ota;

/// <summary>
/// An update agent on a flash and slots that outlive it: Boot is a reboot (power back, the bootloader runs, the
/// store mounts, a new agent reloads its progress), so a test can cut the power anywhere and look at what survives.
/// </summary>
public class RebootingAgentRig
{
    public readonly NorFlash Flash = new(1024, 16);
    public readonly SimFirmwareSlots Slots = new(new byte[] { 1 });
    public readonly List<(byte state, byte error)> Statuses = new();
    public UpdateAgent Agent = null!;
    private readonly bool _finishVerificationAtBoot;

    /// <param name="finishVerificationAtBoot">Runs any signature check in progress after boot to its end (the main loop's steps, all at once).
    /// A check a cut interrupted is not resumed at boot (the attempt fails with slot error), so this only matters to a rig that verifies after Boot.</param>
    public RebootingAgentRig(bool finishVerificationAtBoot)
    {
        _finishVerificationAtBoot = finishVerificationAtBoot;
        Boot();
    }

    public void Boot()
    {
        Flash.PowerOn();
        Slots.BootloaderReset();
        var store = new RecordStore(Flash, 0, 8);
        Assert.Equal(StoreResult.Ok, store.Mount());
        Agent = new UpdateAgent(Slots, store, OtaLab.Hardware) { TrustKeys = new[] { ImageSigner.PublicPoint(OtaLab.Vendor) }, RunningVersion = "1.0.0", BatteryAllowsOta = true };
        Agent.StatusChanged += (state, error, _, _) => Statuses.Add((state, error));
        Agent.OnBoot(selfTestPassed: true);
        if (_finishVerificationAtBoot) Agent.FinishVerification();
    }

    /// <summary>Operations so far of the slots ("slot") or of the flash under the record store ("flash").</summary>
    public int Operations(string kind) => kind == "slot" ? Slots.Operations : Flash.Operations;
}
