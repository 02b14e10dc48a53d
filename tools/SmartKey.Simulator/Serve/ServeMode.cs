using System;
using System.IO;
using System.Threading;
using SmartKey.Firmware.Config;
using SmartKey.Phone;

namespace SmartKey.Simulator.Serve;

/// <summary>`smartkey-sim serve`: one simulated lock that the phone CLI and the technician reach as a device.</summary>
public static class ServeMode
{
    private static SimulatedDevice OpenDevice(DeviceConfig config, ulong seed, string? flashPath)
    {
        int size = config.FlashSectors * config.FlashSectorSize;
        if (flashPath != null && File.Exists(flashPath) && new FileInfo(flashPath).Length != size)
            throw new SmartKey.Tools.UsageError($"{flashPath} holds {new FileInfo(flashPath).Length} bytes, not a flash image of this config ({size} bytes): " +
                "give a new file name (serve creates it) or the file an earlier serve with the same nf.config wrote");
        if (flashPath != null && Directory.Exists(flashPath))
            throw new SmartKey.Tools.UsageError($"{flashPath} is a folder: --flash takes a file name (serve creates it)");
        return new SimulatedDevice(config, seed, flashPath);
    }

    /// <summary>
    /// One serve per flash image, as one lock per flash chip: an exclusive lock on FILE.lock beside the image, held
    /// while serve runs (the system releases it if serve is killed; the file goes when serve stops).
    /// </summary>
    private static FileStream HoldFlash(string flashPath)
    {
        if (Directory.Exists(flashPath))
            throw new SmartKey.Tools.UsageError($"{flashPath} is a folder: --flash takes a file name (serve creates it)");
        string lockPath = flashPath + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new SmartKey.Tools.UsageError($"{flashPath} is in use by another 'smartkey-sim serve' (it holds {lockPath}): stop that one, or give another --flash");
        }
        catch (UnauthorizedAccessException)
        {
            throw new SmartKey.Tools.UsageError($"cannot create {lockPath} beside the flash image (permission denied): give a --flash file in a folder you can write");
        }
    }

    private static void SaveClock(SimulatedDevice device, object gate, string? flashPath, TextWriter output)
    {
        if (flashPath == null) return;
        try
        {
            lock (gate) RtcFile.Save(flashPath, device.Hardware.Clock, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.WriteLine("warning: the lock's clock was not saved: " + e.Message);   // serve goes on; the next save may work
        }
    }

    private static T Listen<T>(Func<T> open, int port, string what)
    {
        try
        {
            return open();
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode is System.Net.Sockets.SocketError.AddressAlreadyInUse or System.Net.Sockets.SocketError.AccessDenied)
        {
            throw new SmartKey.Tools.UsageError($"port {port} of 127.0.0.1 (the {what}) is taken, perhaps by another 'smartkey-sim serve': stop it, or give another --port (the console uses --port + 1)");
        }
    }

    public static int Run(DeviceConfig config, ulong seed, int port, string? flashPath, string? provisionSerial, string? provisionCode, TextWriter output, CancellationToken stop)
    {
        if (provisionCode != null && !SetupCode.IsWellFormed(provisionCode))
            throw new SmartKey.Tools.UsageError($"'{provisionCode}' is not a setup code: give {SetupCode.MinimumDigits} to 32 digits with --setup-code, or leave it out for a random one");
        if (provisionCode != null && provisionSerial == null)
            throw new SmartKey.Tools.UsageError("--setup-code needs --provision-serial (the serial the code is derived with)");
        using var held = flashPath == null ? null : HoldFlash(flashPath);
        var device = OpenDevice(config, seed, flashPath);
        bool restored = flashPath != null && RtcFile.TryRestore(flashPath, device.Hardware.Clock, DateTimeOffset.UtcNow);
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

        using var link = Listen(() => new LinkServer(device, port, gate), port, "BLE link");
        using var console = Listen(() => new ConsoleBridge(device, port == 0 ? 0 : port + 1, gate, output), port + 1, "console");
        output.WriteLine($"SmartKey simulator serving: BLE link on 127.0.0.1:{link.Port}, console on 127.0.0.1:{console.Port}" + (console.PtyPath != null ? " and " + console.PtyPath : ""));
        output.WriteLine(flashPath != null ? "flash image: " + Path.GetFullPath(flashPath) : "flash image: in memory (use --flash FILE to keep keys between runs)");
        output.WriteLine($"lock clock: {DateTimeOffset.FromUnixTimeSeconds(device.Hardware.Clock.UnixSeconds):u}" +
            (restored ? " (kept from the last run)" : flashPath != null ? " (a new lock's; the phone sets it after pairing)" : ""));
        output.WriteLine("status: " + device.Core.Status.Snapshot());
        output.WriteLine("stop with Ctrl+C");
        output.Flush();
        // The RTC runs on the lock's battery through restarts: keep its reading beside the flash image.
        while (!stop.WaitHandle.WaitOne(1000)) SaveClock(device, gate, flashPath, output);
        SaveClock(device, gate, flashPath, output);
        return 0;
    }
}
