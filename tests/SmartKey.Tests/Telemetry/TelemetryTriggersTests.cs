using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Telemetry;
using SmartKey.Tests.Protocol;
using Xunit;

namespace SmartKey.Tests.Telemetry;

/// <summary>When the lock reports: the error burst, through the room the composition root exposes.</summary>
public class TelemetryTriggersTests
{
    [Fact]
    public void TheFifthErrorIsReportedAtOnceTheFourthIsNot()
    {
        var lab = new Lab(pairOwner: false);
        var core = lab.Device.Core;
        int queued = core.Telemetry.Count;
        Assert.False(core.Uplink.Active);                 // provisioned after boot: nothing reported yet
        for (int i = 1; i < TelemetryTriggers.ErrorBurst; i++)
            core.Reports.OnRecording(LogAction.AuthenticationFailed, LogTrigger.Phone, 1, ErrorCode.AuthenticationFailed);
        core.Reports.OnRecording(LogAction.Unlock, LogTrigger.Phone, 1, ErrorCode.Ok);             // not an error
        core.Reports.OnLockCompleted(LogAction.Unlock, LogTrigger.Phone, 1, LockResult.Ok);       // not a jam
        core.Reports.OnOtaStatus(OtaState.Downloading, OtaError.None, 0, 100);                     // not a failure
        Assert.Equal(queued, core.Telemetry.Count);
        Assert.False(core.Uplink.Active);
        core.Reports.OnLockCompleted(LogAction.Unlock, LogTrigger.Button, 0, LockResult.Jammed);
        Assert.Equal(queued + 1, core.Telemetry.Count);
        Assert.True(core.Uplink.Active);
    }
}
