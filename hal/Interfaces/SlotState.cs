namespace SmartKey.Hal
{
    /// <summary>The MCUboot-style state of the running image and the secondary slot.</summary>
    public enum SlotState
    {
        /// <summary>Running a confirmed image; the secondary slot holds nothing pending.</summary>
        Confirmed = 0,
        /// <summary>The secondary slot is marked: the next reboot boots it once, in test mode.</summary>
        TestPending = 1,
        /// <summary>Running the new image in test mode: confirm it, or the next reset reverts.</summary>
        Testing = 2,
        /// <summary>The last test image was not confirmed and the previous image was restored.</summary>
        Reverted = 3,
    }
}
