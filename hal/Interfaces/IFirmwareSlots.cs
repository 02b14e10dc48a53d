namespace SmartKey.Hal
{
    /// <summary>
    /// Primary/secondary image slots with MCUboot semantics: the secondary is written in order
    /// (resumable from NextOffset after a reboot), marked for a test boot, then confirmed by the new
    /// image or reverted by the bootloader on the next reset.
    /// </summary>
    public interface IFirmwareSlots
    {
        SlotState State { get; }

        /// <summary>Version of the running image as the bootloader reports it ("1.2.3" or "1.2.3.4"), or null when unknown.</summary>
        string RunningVersion { get; }

        int SecondaryCapacity { get; }

        /// <summary>Bytes of the secondary image written so far (survives reboots).</summary>
        int NextOffset { get; }

        /// <summary>Erases the secondary slot and prepares it for an image of this size.</summary>
        SlotResult BeginImage(int imageSize);

        /// <summary>Appends at exactly NextOffset.</summary>
        SlotResult WriteChunk(int offset, byte[] data, int dataOffset, int count);

        /// <summary>
        /// After a reboot: reopens the partly written secondary image of this size whose first bytes are
        /// expectedHeader, so writing goes on at NextOffset. NoImage when nothing matching is there.
        /// (There is no read-back: the device's update API cannot read the slot, so verifiers hash while writing.)
        /// </summary>
        SlotResult ResumeImage(int imageSize, byte[] expectedHeader);

        /// <summary>The whole image is written: boot it once in test mode at the next reboot.</summary>
        SlotResult MarkForTest();

        /// <summary>Called by the running test image after its self-test.</summary>
        SlotResult ConfirmRunning();

        /// <summary>Gives up on the running test image; the next reboot restores the previous one.</summary>
        SlotResult RequestRevert();
    }
}
