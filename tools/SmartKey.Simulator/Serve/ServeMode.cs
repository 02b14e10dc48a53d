using System;
using System.IO;
using System.Threading;
using SmartKey.Firmware.Config;
using SmartKey.Phone;

namespace SmartKey.Simulator.Serve;

/// <summary>`smartkey-sim serve`: one simulated lock that the phone CLI and the technician reach as a device.</summary>
public static class ServeMode
{
    public static int Run(DeviceConfig config, ulong seed, int port, string? flashPath, string? provisionSerial, string? provisionCode, TextWriter output, CancellationToken stop)
    {
        var device = new SimulatedDevice(config, seed, flashPath);
        var gate = new object();
        lock (gate)
        {
            device.Boot();
            if (provisionSerial != null && device.Core.Identity.Current == null)
            {
                string code = provisionCode ?? SetupCode.Generate();
                var (w0, l) = SetupCode.Verifier(code, provisionSerial);
                // No vendor key is given here: trust a fresh key whose private half is dropped at once, so no
                // image can be signed for this lock until a technician re-provisions it with the real key.
                using var nobody = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
                var trustKey = SmartKey.Ota.ImageSigner.PublicPoint(nobody);
                device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = provisionSerial, W0 = w0, L = l, OtaTrustKeys = new[] { trustKey } });
                output.WriteLine($"provisioned: serial {provisionSerial}, setup code {code}");
            }
        }

        using var link = new LinkServer(device, port, gate);
        using var console = new ConsoleBridge(device, port + 1, gate);
        output.WriteLine($"SmartKey simulator serving: BLE link on 127.0.0.1:{link.Port}, console on 127.0.0.1:{console.Port}" + (console.PtyPath != null ? " and " + console.PtyPath : ""));
        output.WriteLine(flashPath != null ? "flash image: " + Path.GetFullPath(flashPath) : "flash image: in memory (use --flash FILE to keep keys between runs)");
        output.WriteLine("status: " + device.Core.Status.Snapshot());
        output.WriteLine("stop with Ctrl+C");
        output.Flush();
        stop.WaitHandle.WaitOne();
        return 0;
    }
}
