using SmartKey.Firmware.Protocol;

namespace SmartKey.Firmware.Commands
{
    /// <summary>Response plaintext: command | 0x80, request id, status (ErrorCode), data.</summary>
    public static class CommandResponse
    {
        public static WireWriter Begin(byte command, byte requestId, byte status, int dataCapacity)
        {
            return new WireWriter(3 + dataCapacity).Byte(command | CommandId.ResponseFlag).Byte(requestId).Byte(status);
        }

        public static byte[] Status(byte command, byte requestId, byte status)
        {
            return Begin(command, requestId, status, 0).ToArray();
        }
    }
}
