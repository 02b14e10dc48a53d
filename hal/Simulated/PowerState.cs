namespace SmartKey.Hal.Simulated;

public enum PowerState
{
    DeepSleep,
    AwakeIdle,
    BleAdvertising,
    BleConnected,
    WifiActive,
    MotorRunning,
}
