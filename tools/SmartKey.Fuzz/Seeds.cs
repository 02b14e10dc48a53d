using System;
using System.Collections.Generic;
using System.Linq;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Protocol;

namespace SmartKey.Fuzz;

/// <summary>Valid inputs of every target, the starting corpus afl mutates (written by `smartkey-fuzz seeds`).</summary>
public static class Seeds
{
    public static IEnumerable<(string target, string name, byte[] bytes)> All()
    {
        // link: a 100-byte message in 23-byte fragments, then one in 185-byte fragments.
        foreach (int mtu in new[] { 23, 185 })
        {
            var message = Enumerable.Range(0, 100).Select(i => (byte)(i * 7)).ToArray();
            var stream = new List<byte>();
            for (int i = 0; i < Fragmenter.FragmentCount(message.Length, mtu); i++)
            {
                byte[] f = Fragmenter.Fragment(message, message.Length, mtu, i);
                stream.Add((byte)f.Length);
                stream.Add(1);
                stream.AddRange(f);
            }

            yield return ("link", "message-mtu" + mtu, stream.ToArray());
        }

        var point = new byte[65];
        point[0] = 4;
        yield return ("handshake", "pair-request", HandshakeMessages.PairRequest(new byte[] { (byte)'p', (byte)'h' }, point));
        yield return ("handshake", "pair-challenge", HandshakeMessages.PairChallenge(point, new byte[32]));
        yield return ("handshake", "pair-confirm", HandshakeMessages.PairConfirm(new byte[32]));
        yield return ("handshake", "pair-accepted", HandshakeMessages.PairAccepted(3, new byte[16]));
        yield return ("handshake", "session-hello", HandshakeMessages.SessionHello(1, new byte[8]));
        yield return ("handshake", "session-nonce", HandshakeMessages.SessionNonce(new byte[8]));
        yield return ("handshake", "error", HandshakeMessages.Error(ErrorCode.StaleNonce, 5, new byte[8]));

        yield return ("command", "owner-status", new byte[] { 0, CommandId.Status, 1 });
        yield return ("command", "guest-unlock", new byte[] { 1, CommandId.Unlock, 2 });
        yield return ("command", "owner-set-time", new byte[] { 0, CommandId.SetTime, 3 }.Concat(BitConverter.GetBytes(1_772_528_400u)).ToArray());
        yield return ("command", "owner-add-guest", new byte[] { 0, CommandId.AddGuest, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0x1F, 0xE0, 0x01, 0x38, 0x04 });
        yield return ("command", "owner-revoke", new byte[] { 0, CommandId.RevokeKey, 5, 2 });
        yield return ("command", "owner-read-log", new byte[] { 0, CommandId.ReadLog, 6, 0, 0, 0, 0, 10 });
        yield return ("command", "owner-set-wifi", new byte[] { 0, CommandId.SetWifi, 7, 4, (byte)'h', (byte)'o', (byte)'m', (byte)'e', 8, 1, 2, 3, 4, 5, 6, 7, 8 });
        yield return ("command", "owner-settings", new byte[] { 0, CommandId.GetSettings, 8 });

        using (var key = OtaImageTarget.Key())
        {
            var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
            byte[] image = SmartKey.Ota.ImageSigner.Sign(payload, "1.2.3", 2, OtaImageTarget.HardwareId, key);
            yield return ("ota", "signed-image", image);
            yield return ("ota", "offer", SmartKey.Ota.ImageSigner.OfferFor(image).Encode());
        }

        yield return ("config", "nf.config", System.Text.Encoding.Latin1.GetBytes(SmartKey.Simulator.EmbeddedConfig.Text()));
    }
}
