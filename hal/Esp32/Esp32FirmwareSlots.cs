using nanoFramework.Runtime.InFieldUpdate;

namespace SmartKey.Hal.Esp32
{
    /// <summary>
    /// Image slots through nanoFramework.Runtime.InFieldUpdate's UpdateManager. This needs the preview
    /// MCUboot-enabled firmware line: the released ESP32 images have no OTA slots (see docs/ota.md).
    /// MCUboot verifies the image again at boot and performs the test boot and revert.
    /// </summary>
    public sealed class Esp32FirmwareSlots : IFirmwareSlots
    {
        private const int SlotCapacity = 1536 * 1024;

        private UpdateSession _session;

        public SlotState State
        {
            get
            {
                UpdateStatus status = UpdateManager.GetStatus(ImageType.Deployment);
                if (status == UpdateStatus.TestPending || status == UpdateStatus.PermanentPending)
                {
                    return SlotState.TestPending;
                }

                if (status == UpdateStatus.Testing)
                {
                    return SlotState.Testing;
                }

                if (status == UpdateStatus.RollbackPending)
                {
                    return SlotState.Reverted;
                }

                return SlotState.Confirmed;
            }
        }

        public string RunningVersion
        {
            get
            {
                ImageInfo info = UpdateManager.GetPrimaryImageInfo(ImageType.Deployment);
                return info == null || !info.HasValidHeader ? null : info.Version.ToString();
            }
        }

        public int SecondaryCapacity
        {
            get { return SlotCapacity; }
        }

        public int NextOffset
        {
            get { return _session == null ? 0 : _session.NextOffset; }
        }

        public SlotResult BeginImage(int imageSize)
        {
            UpdateSession session;
            SlotResult result = Map(UpdateManager.StartUpdateSession(ImageType.Deployment, imageSize, out session));
            _session = result == SlotResult.Ok ? session : null;
            return result;
        }

        public SlotResult ResumeImage(int imageSize, byte[] expectedHeader)
        {
            UpdateSession session;
            SlotResult result = Map(UpdateManager.ResumeUpdateSession(ImageType.Deployment, imageSize, expectedHeader, out session));
            _session = result == SlotResult.Ok ? session : null;
            return result;
        }

        public SlotResult WriteChunk(int offset, byte[] data, int dataOffset, int count)
        {
            if (_session == null)
            {
                return SlotResult.NoImage;
            }

            if (offset != _session.NextOffset)
            {
                return SlotResult.BadOffset;
            }

            return Map(UpdateManager.StoreImageChunk(_session, data, dataOffset, count));
        }

        public SlotResult MarkForTest()
        {
            if (_session == null)
            {
                return SlotResult.NoImage;
            }

            SlotResult result = Map(UpdateManager.CompleteUpdateSession(_session));
            _session = null;
            return result;
        }

        public SlotResult ConfirmRunning()
        {
            return UpdateManager.ConfirmDeploymentImage() ? SlotResult.Ok : SlotResult.NotTesting;
        }

        public SlotResult RequestRevert()
        {
            return UpdateManager.RequestDeploymentRevert() ? SlotResult.Ok : SlotResult.NotTesting;
        }

        private static SlotResult Map(UpdateSessionResult result)
        {
            switch (result)
            {
                case UpdateSessionResult.Success: return SlotResult.Ok;
                case UpdateSessionResult.BadOffset: return SlotResult.BadOffset;
                case UpdateSessionResult.TooLarge: return SlotResult.TooLarge;
                case UpdateSessionResult.Busy:
                case UpdateSessionResult.SwapInFlight: return SlotResult.Busy;
                case UpdateSessionResult.NoImage:
                case UpdateSessionResult.HeaderMismatch:
                case UpdateSessionResult.Incomplete: return SlotResult.NoImage;
                default: return SlotResult.FlashError;
            }
        }
    }
}
