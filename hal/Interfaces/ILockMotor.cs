namespace SmartKey.Hal
{
    /// <summary>The bolt motor behind an H-bridge (two GPIO outputs). Never drive both sides at once.</summary>
    public interface ILockMotor
    {
        MotorDrive Drive { get; }

        void SetDrive(MotorDrive drive);
    }
}
