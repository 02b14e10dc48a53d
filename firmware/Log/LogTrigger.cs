namespace SmartKey.Firmware.Log
{
    /// <summary>Who or what caused a logged event.</summary>
    public static class LogTrigger
    {
        public const byte Phone = 1;
        public const byte Button = 2;
        public const byte AutoLockTimer = 3;
        public const byte Door = 4;
        public const byte System = 5;

        /// <summary>Binding id used when no binding is involved (button, timer) or the phone is unknown.</summary>
        public const byte NoBinding = 0;
    }
}
