namespace SmartKey.Firmware.Lock
{
    public enum LockCommand
    {
        Lock = 0,
        Unlock = 1,
    }
}
