using System;
using System.Linq;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Link;
using SmartKey.Firmware.Protocol;
using SmartKey.Firmware.Session;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Phone;
using SmartKey.Simulator;

namespace SmartKey.Benchmarks;

/// <summary>Issue 4 (protocol) and issue 5 (storage, boot path, battery life) figures from the real core on the simulator.</summary>
public static class DeviceFigures
{
    private const string Serial = "SK-BENCH-1";
    private const string Code = "5550001234";

    private static (SimulatedDevice device, Credential owner) PairedLock(ulong seed = 9)
    {
        var device = new SimulatedDevice(EmbeddedConfig.Load(), seed);
        device.Hardware.Clock.SetUnixSeconds(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
        device.Boot();
        var (w0, l) = SetupCode.Verifier(Code, Serial);
        device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = Serial, W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        var phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        phone.Connect();
        var owner = phone.Pair(Code, Serial);
        phone.Disconnect();
        return (device, owner);
    }

    public static void Protocol()
    {
        Console.WriteLine();
        Console.WriteLine("Protocol (issue 4), at MTU 23:");
        var (device, owner) = PairedLock();
        var hw = device.Hardware;
        var phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));

        // Warm up, then one measured unlock with the advertised nonce.
        for (int i = 0; i < 3; i++) Unlock(device, phone, owner);
        int up = hw.Ble.WritesFromPhone, down = hw.Ble.NotificationsToPhone, trips = phone.RoundTrips, aes = hw.Aes.BlockCalls;
        device.Touch();
        phone.Connect();
        var open = SealUnlock(owner, hw.Ble.AdvertisedServiceData![2..10]);
        foreach (var f in Enumerable.Range(0, Fragmenter.FragmentCount(open.Length, 23)).Select(i => Fragmenter.Fragment(open, open.Length, 23, i))) hw.Ble.PhoneWrite(f);
        CryptoCounters.Reset();
        // Drive the core's main loop directly (the simulator's own stepping allocates; the device's does not).
        var core = device.Core;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 500 && hw.Ble.PhoneInbox.Count == 0; step++)
        {
            hw.Advance(10);
            core.Poll();
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        long sha = CryptoCounters.Sha256Compressions, field = CryptoCounters.FieldOperations;
        Console.WriteLine($"  unlock: 1 round trip after connecting; ATT writes up {hw.Ble.WritesFromPhone - up}, notifications down {hw.Ble.NotificationsToPhone - down} [goal ≤ 3 each way]");
        Console.WriteLine($"  device-side crypto per unlock: {field} field operations (no P-256), {sha} SHA-256 compressions [goal ≤ 12], {hw.Aes.BlockCalls - aes} AES blocks");
        Console.WriteLine($"  bytes allocated on the host per unlock, device side incl. the simulated radio, after warm-up: {allocated} [goal ≤ 2 KB]");
        phone.Disconnect();

        // Pairing cost on the device.
        var fresh = new SimulatedDevice(EmbeddedConfig.Load(), 3);
        fresh.Boot();
        var (w0, l) = SetupCode.Verifier(Code, Serial);
        fresh.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = Serial, W0 = w0, L = l, OtaTrustKeys = new[] { l } });
        var (pw0, pw1) = SetupCode.Derive(Code, Serial);
        var prover = new Spake2PlusProver(pw0, pw1);
        prover.Start(Enumerable.Repeat((byte)5, 32).ToArray());
        var request = HandshakeMessages.PairRequest(new byte[] { 1 }, prover.ShareP);
        fresh.Hardware.Ble.PhoneConnect();
        foreach (var f in Enumerable.Range(0, Fragmenter.FragmentCount(request.Length, 23)).Select(i => Fragmenter.Fragment(request, request.Length, 23, i))) fresh.Hardware.Ble.PhoneWrite(f);
        CryptoCounters.Reset();
        // The answer comes in steps: PairWorking at once and every second, then PairChallenge (3 notifications at MTU 23).
        long startMs = fresh.Hardware.Clock.ElapsedMilliseconds;
        fresh.RunUntil(() => Challenged(fresh), 60_000);
        Console.WriteLine($"  pairing, device side (the lock's first, preparing its tables too, in steps from the main loop over {fresh.Hardware.Clock.ElapsedMilliseconds - startMs} ms of polling): {CryptoCounters.FieldMultiplications} mul + {CryptoCounters.FieldSquarings} sqr = {CryptoCounters.FieldOperations} field operations, {CryptoCounters.Sha256Compressions} SHA-256 compressions; messages {request.Length} B up, {fresh.Hardware.Ble.NotificationsToPhone} notifications down");
    }

    private static bool Challenged(SimulatedDevice device) => CryptoCounters.Sha256Compressions > 0 && !device.Core.Sessions.PairingComputing;

    private static void Unlock(SimulatedDevice device, SmartKeyPhone phone, Credential owner)
    {
        device.Touch();
        phone.Connect();
        phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out _);
        phone.Disconnect();
        device.Advance(35_000);
    }

    private static byte[] SealUnlock(Credential owner, byte[] deviceNonce)
    {
        var channel = new SecureChannel(new HostAesBlock(), false);
        channel.Establish(owner.Key, owner.BindingId, new byte[] { 9, 9, 9, 9, 9, 9, 9, 9 }, deviceNonce);
        return channel.SealOpen(owner.BindingId, deviceNonce, new byte[] { CommandId.Unlock, 77 }, 2);
    }

    public static void Storage()
    {
        Console.WriteLine();
        Console.WriteLine("Storage and boot (issue 5):");
        var (device, owner) = PairedLock();
        var hw = device.Hardware;
        var core = device.Core;
        for (int i = 0; i < 10; i++) core.Bindings.Add(new Binding { Role = BindingRole.Guest, Key = new byte[32] });

        // Bytes written and erases per unlock event (a button unlock + its auto-lock, each logged).
        long bytes = hw.Flash.BytesWritten;
        int erases = hw.Flash.TotalErases, events = 0;
        for (int i = 0; i < 2000; i++)
        {
            core.Lock.Request(i % 2 == 0 ? SmartKey.Firmware.Lock.LockCommand.Unlock : SmartKey.Firmware.Lock.LockCommand.Lock, SmartKey.Firmware.Log.LogTrigger.Button, 0);
            device.Advance(1200);
            events++;
        }

        double bytesPerEvent = (double)(hw.Flash.BytesWritten - bytes) / events;
        double erasesPerEvent = (double)(hw.Flash.TotalErases - erases) / events;
        var layout = new SmartKey.Firmware.Storage.FlashLayout(hw.Flash.SectorCount, hw.Flash.SectorSize, device.Config.LogMaxEntries);
        double erasesPerSectorPerDay = 50 * erasesPerEvent / layout.LogSectorCount;
        double years = 100_000 / erasesPerSectorPerDay / 365;
        Console.WriteLine($"  per lock/unlock event: {bytesPerEvent:F1} bytes written [goal ≤ 32], {erasesPerEvent:F4} sector erases; at 50 events a day each of the {layout.LogSectorCount} log sectors is erased every {1 / erasesPerSectorPerDay:F0} days: 100k-cycle flash lasts {years:N0} years [goal ≥ 20]");

        // Wake to advertising: what the boot path reads.
        device.Advance(60_000);
        device.Touch();
        Console.WriteLine($"  wake to advertising with {core.Bindings.Count + 1} keys and {device.Core.Log.LastSequence} log entries: {device.Core.Store.RecordsRead} records and {device.Core.Wake.BytesRead} bytes read from flash (record store scan + unlock-log end search)");
    }

    public static void BatteryLife()
    {
        Console.WriteLine();
        Console.WriteLine("Battery life (issue 5): the real core on the simulator, usage profile run for 3 simulated days.");
        Console.WriteLine("  currents of the power model (ESP32-WROOM-32 datasheet; typical deadbolt motor):");
        foreach (var (state, mA) in SimPowerModel.DefaultMilliamps) Console.WriteLine($"    {state,-15} {mA,8:0.###} mA");
        foreach (int unlocksPerDay in new[] { 10, 20 })
        {
            var (device, owner) = PairedLock();
            var hw = device.Hardware;
            var phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
            device.Advance(120_000);
            double start = hw.PowerModel.TotalMilliampHours;
            const int days = 3;
            var rng = new Random(unlocksPerDay);
            for (int day = 0; day < days; day++)
            {
                long dayStart = hw.Clock.ElapsedMilliseconds;
                var times = Enumerable.Range(0, unlocksPerDay).Select(_ => (long)rng.Next(7 * 3600, 22 * 3600) * 1000).OrderBy(t => t).ToArray();
                foreach (long t in times)
                {
                    long wait = dayStart + t - hw.Clock.ElapsedMilliseconds;
                    if (wait > 0) device.Advance(wait);
                    device.Touch();                            // someone touches the handle,
                    phone.Connect();                           // their phone connects and unlocks,
                    phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out _);
                    phone.Disconnect();                        // the lock re-locks itself 30 s later
                }

                device.Advance(dayStart + 86_400_000 - hw.Clock.ElapsedMilliseconds);
            }

            double perDay = (hw.PowerModel.TotalMilliampHours - start) / days;
            const double capacity = 2500, usable = 0.8;
            double months = capacity * usable / perDay / 30.4;
            Console.WriteLine($"  {unlocksPerDay} unlocks a day, {hw.Mqtt.Connections / (double)days:F1} Wi-Fi windows a day: {perDay:F2} mAh/day → {months:F0} months on 4×AA alkaline (2,500 mAh, 80 % usable at these pulses) [goal ≥ 18 months at 10/day]; awake {hw.PowerModel.TimeInMs(PowerState.BleAdvertising) / 1000 / days} s advertising, {hw.PowerModel.TimeInMs(PowerState.BleConnected) / 1000 / days} s connected, {hw.PowerModel.TimeInMs(PowerState.MotorRunning) / 1000 / days} s motor per day");
        }

        Console.WriteLine($"  (includes the daily telemetry window: each Wi-Fi connection is charged {SimulatedHardware.WifiConnectMs / 1000} s at the Wi-Fi current)");
        SilentConnectionAttack();
    }

    /// <summary>
    /// Issue 11 item 2: a central that connects whenever the lock advertises and never says a word. The lock
    /// drops it after 5 s and, after two in one wake, stops advertising until the next touch.
    /// </summary>
    public static void SilentConnectionAttack()
    {
        Console.WriteLine();
        Console.WriteLine("Silent-connection attack (issue 11 item 2): 1 simulated day each.");
        double Day(bool attacker, int touchesPerDay)
        {
            var (device, _) = PairedLock();
            var hw = device.Hardware;
            device.Advance(120_000);
            double start = hw.PowerModel.TotalMilliampHours;
            long end = hw.Clock.ElapsedMilliseconds + 86_400_000;
            long nextTouch = touchesPerDay == 0 ? long.MaxValue : hw.Clock.ElapsedMilliseconds + 3_600_000;
            while (hw.Clock.ElapsedMilliseconds < end)
            {
                if (hw.Clock.ElapsedMilliseconds >= nextTouch)
                {
                    device.Touch();                                   // the owner (or anyone) touches the handle
                    nextTouch += 86_400_000 / touchesPerDay;
                }

                if (attacker && !device.Asleep && hw.Ble.IsAdvertising && !hw.Ble.IsConnected) hw.Ble.PhoneConnect();
                long step = device.Asleep ? System.Math.Min(end, nextTouch) - hw.Clock.ElapsedMilliseconds : 100;
                device.Advance(System.Math.Max(10, step));
            }

            return hw.PowerModel.TotalMilliampHours - start;
        }

        double idle = Day(false, 0), attacked = Day(true, 0), touched = Day(false, 10), attackedTouched = Day(true, 10);
        Console.WriteLine($"  idle: {idle:F2} mAh/day; under attack: {attacked:F2} mAh/day ({attacked / idle:F2}× idle) [goal ≤ 2× idle]");
        Console.WriteLine($"  woken by 10 touches a day: {touched:F2} mAh/day; the same under attack: {attackedTouched:F2} mAh/day ({attackedTouched / touched:F2}×)");
    }
}
