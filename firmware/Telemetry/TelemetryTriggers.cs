using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Log;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Power;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;

namespace SmartKey.Firmware.Telemetry
{
    /// <summary>
    /// When the lock reports to the backend: once a day, at a boot that finds the battery in another state
    /// than the backend last heard, at once when the battery turns LOW or CRITICAL, and after a burst of
    /// ErrorBurst errors (failed authentications and pairings, jams, failed updates; at most
    /// ErrorWindowQuota.MaxPerDay such windows a day). A report is queued in
    /// flash and opens the uplink window; nothing is reported before the lock is provisioned.
    /// </summary>
    public sealed class TelemetryTriggers
    {
        public const int ErrorBurst = 5;

        private readonly TelemetryQueue _queue;
        private readonly ErrorCounters _errors;
        private readonly ErrorWindowQuota _errorWindows;
        private readonly Uplink _uplink;
        private readonly ProvisionedIdentity _identity;
        private readonly BatteryMonitor _battery;
        private readonly PowerManager _power;
        private readonly IMonotonicClock _clock;
        private readonly IRealTimeClock _rtc;

        public TelemetryTriggers(TelemetryQueue queue, ErrorCounters errors, ErrorWindowQuota errorWindows, Uplink uplink, ProvisionedIdentity identity, BatteryMonitor battery, PowerManager power, IMonotonicClock clock, IRealTimeClock rtc)
        {
            _queue = queue;
            _errors = errors;
            _errorWindows = errorWindows;
            _uplink = uplink;
            _identity = identity;
            _battery = battery;
            _power = power;
            _clock = clock;
            _rtc = rtc;
        }

        /// <summary>Queues a telemetry report and opens the uplink window (skipped on a critical battery: queued only).</summary>
        public void Report()
        {
            if (_identity.Current == null) return;
            _queue.Enqueue(_battery.Percent, _battery.Millivolts, _battery.State);
            _uplink.OpenWindow(_clock.UptimeMilliseconds);
        }

        /// <summary>At boot: the server learns how an update's test boot ended, and the daily or battery report is due.</summary>
        public void AfterBoot(byte otaState, int corruptRecords)
        {
            if (otaState == OtaState.Confirmed || otaState == OtaState.Reverted || otaState == OtaState.Failed)
            {
                _uplink.OpenWindow(_clock.UptimeMilliseconds);
            }

            if (corruptRecords > 0) _errors.Count(ErrorCode.StorageError);
            // Deep sleep restarts the battery filter: compare with what the backend last heard.
            if (_queue.ClaimDailyReport(_rtc.UnixSeconds, _power.DailyWindowOffsetSeconds) || (_identity.Current != null && _battery.State != _queue.LastReportedBattery)) Report();
        }

        /// <summary>Subscribed to the log: failed authentications and pairings are errors.</summary>
        public void OnRecording(byte action, byte trigger, byte bindingId, byte result)
        {
            if (action == LogAction.AuthenticationFailed || action == LogAction.PairingFailed) CountError(result);
        }

        public void OnLockCompleted(byte action, byte trigger, byte bindingId, LockResult result)
        {
            if (result == LockResult.Jammed) CountError(ErrorCode.LockJammed);
        }

        public void OnOtaStatus(byte state, byte error, int offset, int size)
        {
            if (state == OtaState.Failed) CountError((byte)(100 + error));
        }

        private void CountError(byte code)
        {
            _errors.Count(code);
            // A burst of errors is reported without waiting for the day, at most ErrorWindowQuota.MaxPerDay times a day.
            if (_errors.Total == ErrorBurst && _identity.Current != null && _errorWindows.TryTake(_rtc.UnixSeconds)) Report();
        }
    }
}
