using SmartKey.Firmware.Link;
using SmartKey.Firmware.Protocol;

namespace SmartKey.Fuzz;

/// <summary>
/// The BLE link's reassembler fed a stream of fragments. Input: repeated [length u8][time step u8][fragment]
/// (the last fragment takes what is left). A fresh reassembler per input, so each input replays alone.
/// </summary>
public sealed class LinkTarget : IFuzzTarget
{
    public string Name => "link";

    public void Run(byte[] input)
    {
        var reassembler = new Reassembler(Reassembler.DefaultMaxMessage, Reassembler.DefaultTimeoutMs);
        long now = 0;
        int at = 0;
        while (at + 2 <= input.Length)
        {
            int length = System.Math.Min(input[at], input.Length - at - 2);
            now += input[at + 1] * 20;
            var fragment = new byte[length];
            System.Array.Copy(input, at + 2, fragment, 0, length);
            at += 2 + length;
            byte result = reassembler.Accept(fragment, length, now);
            if (result != ErrorCode.Ok && result != ErrorCode.MalformedFrame && result != ErrorCode.MessageTooLarge && result != ErrorCode.ReassemblyTimeout)
                throw new InvariantBroken("Accept returned " + result);
            if (reassembler.MessageLength < 0 || reassembler.MessageLength > Reassembler.DefaultMaxMessage)
                throw new InvariantBroken("message length " + reassembler.MessageLength);
            if (reassembler.MessageLength > 0 && result != ErrorCode.Ok)
                throw new InvariantBroken("a message completed by a refused fragment");
        }
    }
}
