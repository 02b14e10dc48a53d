using SmartKey.Firmware.Log;

namespace SmartKey.Firmware.Lock
{
    /// <summary>The button is on the inside: a short press toggles the bolt; a longer one (presence only) does not.</summary>
    public sealed class InsideButton
    {
        public const int ShortPressMs = 2000;

        private readonly LockController _lock;

        public InsideButton(LockController lockController)
        {
            _lock = lockController;
        }

        /// <summary>Subscribed to the button's release.</summary>
        public void OnPressed(long heldMs)
        {
            if (heldMs >= ShortPressMs) return;
            LockCommand command = _lock.State == LockState.Locked ? LockCommand.Unlock : LockCommand.Lock;
            _lock.Request(command, LogTrigger.Button, LogTrigger.NoBinding);
        }
    }
}
