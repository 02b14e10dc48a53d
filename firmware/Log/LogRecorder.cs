using SmartKey.Hal;

namespace SmartKey.Firmware.Log
{
    /// <summary>
    /// Appends what happened to the unlock log, stamped with the lock's clock. Recording is raised before
    /// the entry is written, so a room that counts failures has counted them when the entry is in flash.
    /// </summary>
    public sealed class LogRecorder
    {
        private readonly UnlockLog _log;
        private readonly IRealTimeClock _rtc;

        public LogRecorder(UnlockLog log, IRealTimeClock rtc)
        {
            _log = log;
            _rtc = rtc;
        }

        public event LogEntryHandler Recording;

        /// <summary>An event that is counted (Recording is raised) but not written: a failure folded into a burst.</summary>
        public void Note(byte action, byte trigger, byte bindingId, byte result)
        {
            if (Recording != null) Recording(action, trigger, bindingId, result);
        }

        /// <summary>action is a LogAction, trigger a LogTrigger, result an ErrorCode.</summary>
        public void Record(byte action, byte trigger, byte bindingId, byte result)
        {
            if (Recording != null) Recording(action, trigger, bindingId, result);
            LogEntry entry = new LogEntry();
            entry.UnixTime = (uint)_rtc.UnixSeconds;
            entry.Action = action;
            entry.Trigger = trigger;
            entry.BindingId = bindingId;
            entry.Result = result;
            _log.Append(entry, _rtc.UnixSeconds);
        }
    }
}
