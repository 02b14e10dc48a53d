using System;
using SmartKey.Hal.Simulated;
using Xunit;

namespace SmartKey.Tests.Storage;

/// <summary>
/// Runs an operation against a freshly set-up flash once per flash operation it performs, cutting power
/// after 0, 1, …, N-1 operations (whole, then torn in the middle of the next one), and checks what
/// survives a reboot each time. Returns how many cut points were tried.
/// </summary>
public static class PowerCut
{
    public static int AtEveryStep<TWorld>(Func<NorFlash, TWorld> setUp, Action<TWorld> operation, Action<TWorld, NorFlash, bool> checkAfterReboot, Func<NorFlash> newFlash)
    {
        var probe = newFlash();
        var world = setUp(probe);
        int before = probe.Operations;
        operation(world);
        int steps = probe.Operations - before;
        Assert.True(steps > 0, "the operation writes nothing");
        checkAfterReboot(world, probe, true);

        int tried = 0;
        foreach (bool torn in new[] { false, true })
        {
            for (int cut = 0; cut < steps; cut++)
            {
                var flash = newFlash();
                var w = setUp(flash);
                flash.CutPowerAfter(cut, torn);
                Assert.Throws<PowerLossException>(() => operation(w));
                flash.PowerOn();
                checkAfterReboot(w, flash, false);
                tried++;
            }
        }

        return tried;
    }
}
