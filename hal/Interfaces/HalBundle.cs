namespace SmartKey.Hal
{
    /// <summary>
    /// Every piece of hardware the core may touch. Only the device's Program and the simulator
    /// create one; the core receives it and never creates hardware objects itself.
    /// DoorSensor may be null when the lock has no door contact.
    /// </summary>
    public sealed class HalBundle
    {
        public IMonotonicClock Clock;
        public IRealTimeClock RealTimeClock;
        public IEntropySource Entropy;
        public IFlash Flash;
        public ILockMotor Motor;
        public IBinaryInput LockedEndStop;
        public IBinaryInput UnlockedEndStop;
        public IBinaryInput DoorSensor;
        public IBinaryInput Button;
        public IStatusLed Led;
        public IBatteryAdc BatteryAdc;
        public IBlePeripheral Ble;
        public ISerialConsole Console;
        public IMqttLink Mqtt;
        public IFirmwareSlots FirmwareSlots;
        public IAesBlock Aes;
        public IHmacSha256 Hmac;
        public IPower Power;
    }
}
