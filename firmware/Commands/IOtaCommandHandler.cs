namespace SmartKey.Firmware.Commands
{
    /// <summary>The OTA update agent's BLE entry point: takes an owner's 0x20..0x2F command, returns the response plaintext.</summary>
    public interface IOtaCommandHandler
    {
        byte[] Handle(byte[] plaintext, int length);
    }
}
