using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Protocol;

namespace SmartKey.Firmware.Commands
{
    /// <summary>
    /// OTA over an owner's BLE session (commands 0x20..0x23, docs/ota.md). Every response carries the
    /// agent's OTA error, state and the next offset it wants, so the phone simply follows the lock.
    /// </summary>
    public sealed class BleOtaCommands : IOtaCommandHandler
    {
        public const byte Offer = 0x20;
        public const byte Chunk = 0x21;
        public const byte Status = 0x22;
        public const byte Abort = 0x23;

        /// <summary>Largest chunk that fits one session message (1024 bytes less framing, header and tag).</summary>
        public const int MaxBleChunk = 960;

        private readonly UpdateAgent _agent;
        private readonly OtaPreparation _preparation;

        public BleOtaCommands(UpdateAgent agent, OtaPreparation preparation)
        {
            _agent = agent;
            _preparation = preparation;
        }

        public byte[] Handle(byte[] plaintext, int length)
        {
            _preparation.Prepare();
            byte command = plaintext[0];
            byte requestId = plaintext[1];
            byte result;
            switch (command)
            {
                case Offer:
                    OtaOffer offer = OtaOffer.Decode(plaintext, 2, length - 2);
                    if (offer == null) return CommandResponse.Status(command, requestId, ErrorCode.InvalidArgument);
                    result = _agent.Offer(offer);
                    break;
                case Chunk:
                    WireReader r = new WireReader(plaintext, 2, length - 2);
                    uint offset;
                    if (!r.TryUInt32(out offset) || r.Remaining == 0 || r.Remaining > MaxBleChunk) return CommandResponse.Status(command, requestId, ErrorCode.InvalidArgument);
                    result = _agent.Chunk((int)offset, plaintext, 6, length - 6);
                    break;
                case Status:
                    if (length != 2) return CommandResponse.Status(command, requestId, ErrorCode.InvalidArgument);
                    result = _agent.LastError;
                    break;
                case Abort:
                    if (length != 2) return CommandResponse.Status(command, requestId, ErrorCode.InvalidArgument);
                    _agent.Abort();
                    result = OtaError.None;
                    break;
                default:
                    return CommandResponse.Status(command, requestId, ErrorCode.UnknownCommand);
            }

            return CommandResponse.Begin(command, requestId, ErrorCode.Ok, 10)
                .Byte(result).Byte(_agent.State).UInt32((uint)_agent.Offset).UInt32((uint)_agent.ImageSize).ToArray();
        }
    }
}
