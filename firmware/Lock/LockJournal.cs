using SmartKey.Firmware.Log;
using SmartKey.Firmware.Protocol;

namespace SmartKey.Firmware.Lock
{
    /// <summary>Writes every finished movement of the bolt to the unlock log (a jam as Jammed, with LockJammed).</summary>
    public sealed class LockJournal
    {
        private readonly LogRecorder _recorder;

        public LockJournal(LogRecorder recorder)
        {
            _recorder = recorder;
        }

        /// <summary>Subscribed to LockController.Completed.</summary>
        public void OnCompleted(byte action, byte trigger, byte bindingId, LockResult result)
        {
            if (result != LockResult.Ok) action = result == LockResult.Jammed ? LogAction.Jammed : action;
            _recorder.Record(action, trigger, bindingId, result == LockResult.Jammed ? ErrorCode.LockJammed : (byte)result);
        }
    }
}
