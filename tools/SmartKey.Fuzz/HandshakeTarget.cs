using SmartKey.Firmware.Protocol;

namespace SmartKey.Fuzz;

/// <summary>
/// Every handshake decoder on the same bytes. The decoders are strict (exact lengths), so whatever one
/// accepts must re-encode to exactly the input, and no two decoders accept the same message.
/// </summary>
public sealed class HandshakeTarget : IFuzzTarget
{
    public string Name => "handshake";

    public void Run(byte[] m)
    {
        int accepted = 0;
        if (HandshakeMessages.TryPairRequest(m, m.Length, out byte[] id, out byte[] shareP)) { accepted++; Same(HandshakeMessages.PairRequest(id, shareP), m, "PairRequest"); }
        if (HandshakeMessages.TryPairChallenge(m, m.Length, out byte[] shareV, out byte[] confirmV)) { accepted++; Same(HandshakeMessages.PairChallenge(shareV, confirmV), m, "PairChallenge"); }
        if (HandshakeMessages.TryPairConfirm(m, m.Length, out byte[] confirmP)) { accepted++; Same(HandshakeMessages.PairConfirm(confirmP), m, "PairConfirm"); }
        if (HandshakeMessages.TryPairAccepted(m, m.Length, out byte binding, out byte[] tag)) { accepted++; Same(HandshakeMessages.PairAccepted(binding, tag), m, "PairAccepted"); }
        if (HandshakeMessages.TrySessionHello(m, m.Length, out byte hello, out byte[] np)) { accepted++; Same(HandshakeMessages.SessionHello(hello, np), m, "SessionHello"); }
        if (HandshakeMessages.TrySessionNonce(m, m.Length, out byte[] nd)) { accepted++; Same(HandshakeMessages.SessionNonce(nd), m, "SessionNonce"); }
        if (HandshakeMessages.TryError(m, m.Length, out byte code, out int retry, out byte[] fresh)) { accepted++; Same(HandshakeMessages.Error(code, retry, fresh), m, "Error"); }
        if (accepted > 1) throw new InvariantBroken(accepted + " decoders accepted one message");
    }

    private static void Same(byte[] encoded, byte[] input, string what)
    {
        if (!System.MemoryExtensions.SequenceEqual<byte>(encoded, input)) throw new InvariantBroken(what + " accepted bytes it does not re-encode to");
    }
}
