using System;
using System.Linq;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Protocol;
using SmartKey.Simulator;

namespace SmartKey.Fuzz;

/// <summary>
/// The command processor of a provisioned lock (an owner and a guest), given decrypted session
/// plaintext. Input: [caller: even = owner, odd = guest][command][request id][arguments]. Every input
/// gets a fresh lock, so a finding replays alone. A response answers the command and request; a refusal
/// changes no key, setting, bolt or Wi-Fi; nothing but the confirmation code starts a factory reset.
/// </summary>
public sealed class CommandTarget : IFuzzTarget
{
    private static readonly (byte[] w0, byte[] l) Verifier = SmartKey.Phone.SetupCode.Verifier("3141592653", "SK-FUZZ");

    public string Name => "command";

    public void Run(byte[] input)
    {
        if (input.Length < 1) return;
        var device = new SimulatedDevice(EmbeddedConfig.Load(), 1);
        device.Hardware.Clock.SetUnixSeconds(1_772_528_400);          // a Tuesday morning, inside a weekday window
        device.Boot();
        device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = "SK-FUZZ", W0 = Verifier.w0, L = Verifier.l, OtaTrustKeys = new[] { Verifier.l } });
        var owner = new Binding { Role = BindingRole.Owner, Key = new byte[32] };
        var guest = new Binding { Role = BindingRole.Guest, Key = new byte[32], Days = 0x1F, StartMinute = 8 * 60, EndMinute = 18 * 60 };
        device.Core.Bindings.Add(owner);
        device.Core.Bindings.Add(guest);

        byte[] plaintext = input[1..];
        string before = Fingerprint(device);
        var outcome = device.Core.Commands.Execute((input[0] & 1) == 0 ? owner : guest, plaintext, plaintext.Length);
        if (outcome.Response == null) return;                          // a bolt movement started; it answers when done
        byte[] r = outcome.Response;
        if (r.Length < 3) throw new InvariantBroken("response of " + r.Length + " bytes");
        if (plaintext.Length >= 2 && (r[0] != (plaintext[0] | CommandId.ResponseFlag) || r[1] != plaintext[1]))
            throw new InvariantBroken("response does not answer the command and request");
        if (r[2] != ErrorCode.Ok && Fingerprint(device) != before) throw new InvariantBroken("a refused command changed the lock");
        if (outcome.FactoryResetAfterResponse && !ConfirmsReset(plaintext)) throw new InvariantBroken("factory reset without the confirmation code");
    }

    private static bool ConfirmsReset(byte[] p) =>
        p.Length == 6 && p[0] == CommandId.FactoryReset && BitConverter.ToUInt32(p, 2) == CommandId.FactoryResetConfirmation;

    private static string Fingerprint(SimulatedDevice device)
    {
        var core = device.Core;
        string keys = string.Join(";", core.Bindings.All().Select(b => Convert.ToHexString(b.Encode())));
        return $"{keys}|{Convert.ToHexString(core.Settings.Current.Encode())}|{core.Lock.State}|{device.Hardware.Mechanism.Drive}|{device.Hardware.Mqtt.WifiSsid}";
    }
}
