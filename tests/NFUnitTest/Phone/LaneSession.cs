using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;

namespace SmartKey.NFUnitTest.Phone
{
    /// <summary>An open session: commands over the secure channel, each answered by one response (protocol.md §5, §6).</summary>
    public sealed class LaneSession
    {
        private readonly LanePhone _phone;
        private readonly SecureChannel _channel;

        internal LaneSession(LanePhone phone, SecureChannel channel)
        {
            _phone = phone;
            _channel = channel;
        }

        /// <summary>The data of a successful response; any other status is a PhoneRefused with the lock's code.</summary>
        public byte[] Send(byte command, byte[] args)
        {
            byte requestId = _phone.NextRequestId();
            byte[] plaintext = LanePhone.Command(command, requestId, args);
            _phone.Send(_channel.SealData(plaintext, plaintext.Length));
            return Decode(_phone.Receive(), command, requestId);
        }

        internal byte[] Decode(byte[] message, byte command, byte requestId)
        {
            byte code;
            int retry;
            byte[] nonce;
            if (message[0] == MessageType.Error && HandshakeMessages.TryError(message, message.Length, out code, out retry, out nonce))
            {
                throw new PhoneRefused(code, "the lock refused");
            }

            byte[] plaintext = new byte[message.Length];
            int length;
            byte opened = _channel.OpenData(message, message.Length, plaintext, out length);
            if (opened != ErrorCode.Ok)
            {
                throw new PhoneRefused(opened, "the response does not authenticate");
            }

            if (length < 3 || plaintext[0] != (command | CommandId.ResponseFlag) || plaintext[1] != requestId)
            {
                throw new PhoneRefused(ErrorCode.MalformedFrame, "the response does not match the request");
            }

            if (plaintext[2] != ErrorCode.Ok)
            {
                throw new PhoneRefused(plaintext[2], "the command was refused");
            }

            byte[] data = new byte[length - 3];
            System.Array.Copy(plaintext, 3, data, 0, data.Length);
            return data;
        }

        public void End()
        {
            Send(CommandId.EndSession, new byte[0]);
            _channel.Close();
        }
    }
}
