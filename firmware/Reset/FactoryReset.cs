using SmartKey.Firmware.Log;
using SmartKey.Firmware.Storage;
using SmartKey.Hal;

namespace SmartKey.Firmware.Reset
{
    /// <summary>
    /// Wipes the owner's world (bindings, unlock log, settings, Wi-Fi credentials, error counters, pairing
    /// lock-out, BLE bonds) and keeps the factory identity, the anti-rollback counter and OTA progress.
    /// The intent is recorded first; every step after it can be repeated, and Resume at boot repeats them
    /// until the intent is cleared, so a power cut at any point either leaves the device untouched (intent
    /// not yet written) or finishes the reset on the next boot. No byte of a wiped record or log entry
    /// stays in the flash: their sectors are erased, not merely unlinked. After Run (an owner's command or
    /// the button hold) Completed tells the rooms to reload what is left: the device is back in pairing mode.
    /// </summary>
    public sealed class FactoryReset
    {
        private static readonly byte[] Intent = new byte[] { 1 };

        private readonly RecordStore _store;
        private readonly UnlockLog _log;
        private readonly IBlePeripheral _ble;
        private readonly IMqttLink _network;

        public FactoryReset(RecordStore store, UnlockLog log, IBlePeripheral ble, IMqttLink network)
        {
            _store = store;
            _log = log;
            _ble = ble;
            _network = network;
        }

        /// <summary>Raised at the end of every Run, whatever its result (not by ResumeIfPending at boot).</summary>
        public event ResetCompletedHandler Completed;

        public bool IsPending
        {
            get { return _store.Contains(RecordType.ResetIntent, 0); }
        }

        public StoreResult Run()
        {
            StoreResult result = RecordIntentAndFinish();
            if (Completed != null) Completed();
            return result;
        }

        /// <summary>At boot: completes a reset that a power cut interrupted. Ok when none was pending.</summary>
        public StoreResult ResumeIfPending()
        {
            return IsPending ? Finish() : StoreResult.Ok;
        }

        private StoreResult RecordIntentAndFinish()
        {
            if (!IsPending)
            {
                StoreResult recorded = _store.Write(RecordType.ResetIntent, 0, Intent, 0, Intent.Length);
                if (recorded != StoreResult.Ok) return recorded;
            }

            return Finish();
        }

        private StoreResult Finish()
        {
            StoreResult result = _log.Wipe();
            if (result != StoreResult.Ok) return result;
            result = _store.WipeAllExceptFactoryRecords();
            if (result != StoreResult.Ok) return result;
            _ble.DeleteAllBonds();
            _network.ForgetWifiCredentials();
            return _store.Delete(RecordType.ResetIntent, 0);
        }
    }
}
