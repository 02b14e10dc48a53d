using System;
using System.IO;
using System.Linq;
using SmartKey.Firmware.Config;
using SmartKey.Firmware.Keys;
using SmartKey.Firmware.Lock;
using SmartKey.Firmware.Protocol;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;
using SmartKey.Phone;

namespace SmartKey.Simulator;

/// <summary>
/// The scripted walk through a lock's life on the simulator: the real firmware core on simulated
/// hardware, driven by the real phone library. Every step checks what it shows; a broken step ends the
/// demo with an error and exit code 1.
/// </summary>
public sealed class Demo
{
    private readonly TextWriter _out;

    public Demo(TextWriter output) => _out = output;

    public int Run(DeviceConfig config, ulong seed)
    {
        try
        {
            Story(config, seed);
            _out.WriteLine();
            _out.WriteLine("Demo finished: every step behaved as expected.");
            return 0;
        }
        catch (Exception e)
        {
            _out.WriteLine();
            _out.WriteLine("DEMO FAILED: " + e.Message);
            return 1;
        }
    }

    private void Story(DeviceConfig config, ulong seed)
    {
        // Telemetry goes to a real broker when one listens on 127.0.0.1:1883 (mosquitto), else stays in-process.
        bool broker = BrokerListening(1883);
        var device = new SimulatedDevice(config, seed, mqtt: broker ? new HostMqttLink("127.0.0.1", 1883) : null);
        var hw = device.Hardware;
        var wire = new System.Collections.Concurrent.ConcurrentQueue<(string topic, string payload)>();
        using var sniffer = broker ? new SmartKey.Hal.Simulated.Mqtt.MqttConnection(new SmartKey.Hal.Simulated.Mqtt.BrokerEndpoint("127.0.0.1", 1883), "demo-backend") : null;
        if (sniffer != null)
        {
            sniffer.MessageReceived += (t, p, _, _) => wire.Enqueue((t, System.Text.Encoding.UTF8.GetString(p)));
            sniffer.Connect();
            sniffer.Subscribe("smartkey/v1/#", 1);
        }

        using var vendor = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        Step("Factory: the lock boots for the first time (" + config.NanoffTarget + ", firmware " + config.FirmwareVersion + ")");
        device.Boot();
        Show(device);

        Step("Technician: make the lock's provisioning kit (smartkey-tech) and run its line on the service console");
        string serial = "SK-" + (seed % 100000).ToString("D5") + "-A";
        var kit = SmartKey.Technician.ProvisioningKit.Create(serial, null, new[] { SmartKey.Ota.ImageSigner.PublicPoint(vendor) });
        string code = kit.SetupCode;
        hw.Console.TypeLine(kit.ServiceLine);
        device.Advance(20);
        string answer = hw.Console.TakeOutput().Trim();
        Say("console: " + answer);
        Check(answer.StartsWith("ok provisioned"), "provisioning");
        Say($"label: serial {serial}, setup code {code} (printed on the lock; the device keeps only w0 and L)");
        hw.Console.TypeLine("provision again 00 00 00");
        device.Advance(20);
        Say("console, second attempt: " + hw.Console.TakeOutput().Trim());

        var phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        Step("Owner: a wrong setup code is refused (and counted against pairing attempts)");
        phone.Connect();
        var wrong = Expect(() => phone.Pair(WrongCode(code), serial, "alice-phone"));
        Say("refused: " + ErrorText.Describe(wrong));
        Check(wrong == ErrorCode.WrongSetupCode, "wrong code refused");

        Step("Owner: pair with the label's setup code (SPAKE2+ P-256, verifier side on the lock)");
        var owner = phone.Pair(code, serial, "alice-phone");
        Say($"paired: owner key #{owner.BindingId}; the advertisement now says 'owned'");
        phone.Disconnect();
        Check(device.Core.Bindings.HasOwner, "owner binding stored");

        Step("Owner: set the lock's clock, then unlock in one round trip (nonce from the advertisement)");
        var start = new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero); // a Tuesday
        phone.Connect();
        var session = phone.Open(owner, CommandId.SetTime, BitConverter.GetBytes((uint)start.ToUnixTimeSeconds()), out _);
        session.End();
        phone.Disconnect();
        device.Advance(1000);
        device.Touch();
        int writesBefore = hw.Ble.WritesFromPhone, notificationsBefore = hw.Ble.NotificationsToPhone, tripsBefore = phone.RoundTrips;
        phone.Connect();
        phone.Open(owner, CommandId.Unlock, Array.Empty<byte>(), out byte[] unlocked);
        Say($"unlock: bolt {(LockState)unlocked[0]}; {phone.RoundTrips - tripsBefore} round trip, {hw.Ble.WritesFromPhone - writesBefore} ATT writes up, {hw.Ble.NotificationsToPhone - notificationsBefore} notification(s) down at MTU 23");
        Check((LockState)unlocked[0] == LockState.Unlocked && phone.RoundTrips - tripsBefore == 1, "one-round-trip unlock");
        phone.Disconnect();
        device.Advance((config.AutoLockDelaySeconds + 2) * 1000L);
        Say($"after {config.AutoLockDelaySeconds} s the lock re-locks itself: {DeviceStatusName(device)}");

        Step("Owner: grant a guest key — weekdays 08:00-18:00, for one week");
        device.Touch();
        phone.Connect();
        session = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out byte[] status);
        Say("status: " + Describe(DeviceStatusView.Parse(status)));
        var guest = session.AddGuest(start, start.AddDays(7), days: 0x1F, startMinute: 8 * 60, endMinute: 18 * 60);
        string pass = guest.ToPass();
        Say($"guest key #{guest.BindingId}, shared with the guest as a pass: {pass[..24]}…");
        session.End();
        phone.Disconnect();

        var guestPhone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        var guestKey = Credential.FromPass(pass);
        Step("Guest: unlock inside the window (Tuesday 10:00)");
        hw.Clock.SetUnixSeconds(start.AddHours(1).ToUnixTimeSeconds());
        guestPhone.Connect();
        guestPhone.Open(guestKey, CommandId.Unlock, Array.Empty<byte>(), out byte[] guestUnlocked);
        Say("guest unlock: bolt " + (LockState)guestUnlocked[0]);
        var guestSession = guestPhone.Open(guestKey, CommandId.Lock, Array.Empty<byte>(), out _);
        var forbidden = Expect(() => guestSession.ListKeys());
        Say("guest tries to list keys: " + ErrorText.Describe(forbidden));
        guestPhone.Disconnect();
        Check(forbidden == ErrorCode.NotPermitted, "least privilege");

        Step("Guest: try again outside the window (Tuesday 20:00)");
        hw.Clock.SetUnixSeconds(start.AddHours(11).ToUnixTimeSeconds());
        device.Touch();
        guestPhone.Connect();
        var outside = Expect(() => guestPhone.Open(guestKey, CommandId.Unlock, Array.Empty<byte>(), out _));
        Say("refused: " + ErrorText.Describe(outside) + "; bolt stays " + DeviceStatusName(device));
        guestPhone.Disconnect();
        Check(outside == ErrorCode.OutsideAccessWindow, "outside the window");

        Step("Owner: revoke the guest key; the guest is refused from now on");
        device.Touch();
        phone.Connect();
        session = phone.Open(owner, CommandId.RevokeKey, new[] { guestKey.BindingId }, out _);
        foreach (var k in session.ListKeys()) Say($"key #{k.Id} {k.RoleText}{(k.Revoked ? " (revoked)" : "")}");
        session.End();
        phone.Disconnect();
        hw.Clock.SetUnixSeconds(start.AddDays(1).AddHours(1).ToUnixTimeSeconds());
        device.Touch();
        guestPhone.Connect();
        var revoked = Expect(() => guestPhone.Open(guestKey, CommandId.Unlock, Array.Empty<byte>(), out _));
        Say("guest refused: " + ErrorText.Describe(revoked));
        guestPhone.Disconnect();
        Check(revoked == ErrorCode.AuthenticationFailed, "revoked guest refused (strangers and revoked keys get the same answer)");

        Step("Owner: read the unlock log (it never leaves the lock any other way)");
        device.Touch();
        phone.Connect();
        session = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _);
        var log = session.ReadAllLog();
        foreach (var e in log) Say(e.ToString());
        session.End();
        phone.Disconnect();
        Check(log.Any(e => e.Action == 1 && e.BindingId == guestKey.BindingId && e.Result == 0), "guest unlock logged");
        Check(log.Any(e => e.Action == 1 && e.BindingId == guestKey.BindingId && e.Result == ErrorCode.OutsideAccessWindow), "outside window logged");
        Check(log.Any(e => e.Action == 7 && e.BindingId == guestKey.BindingId), "refused guest logged");

        Step("Power: the lock sleeps after its advertising window; a touch wakes it");
        device.Advance((config.AdvertisingWindowSeconds + 10) * 1000L);
        Say($"asleep: {device.Asleep}; deep sleep so far {hw.PowerModel.TimeInMs(PowerState.DeepSleep) / 1000} s; charge drawn {hw.PowerModel.TotalMilliampHours:F2} mAh");
        Check(device.Asleep, "deep sleep");
        device.Advance(6 * 3600 * 1000L);
        device.Touch();
        Say($"after 6 h: woke by {hw.Power.LastWakeCause}, boots so far {device.Boots}; " + device.Core.Status.Snapshot());

        Step("Power cut while the owner adds a key: the store keeps the old state or the new one, never half");
        phone.Connect();
        session = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _);
        int keysBefore = device.Core.Bindings.Count;
        hw.Flash.CutPowerAfter(0, tearTheNext: true);
        try
        {
            session.AddGuest(null, null);
        }
        catch (PowerLossException e)
        {
            Say("power lost: " + e.Message);
        }
        catch (PhoneException)
        {
        }

        device.PowerOnAfterCut();
        Say($"after reboot: {device.Core.Bindings.Count} key(s) (before: {keysBefore}), damaged records {device.Core.Store.DamagedKeys}, uncommitted {device.Core.Store.UncommittedRecords}");
        Check(device.Core.Bindings.Count == keysBefore && device.Core.Store.DamagedKeys == 0, "power-cut safe");

        Step("Backend: the batteries run low; the next wake reports it — and only this — over MQTT");
        hw.Battery.SetStateOfCharge(25);
        device.Advance(2 * 3600 * 1000L);
        device.Touch();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (device.Core.Uplink.Active || (sniffer != null && !wire.Any(m => m.topic.EndsWith("/telemetry")))))
        {
            device.Advance(10);
            System.Threading.Thread.Sleep(1);
        }

        string report = sniffer != null ? wire.LastOrDefault(m => m.topic.EndsWith("/telemetry")).payload ?? "(none)"
            : hw.Mqtt.Published.Count > 0 ? System.Text.Encoding.UTF8.GetString(hw.Mqtt.Published[^1].payload) : "(none)";
        Say((broker ? "received by a subscriber on 127.0.0.1:1883: " : "published (no broker on 127.0.0.1:1883; in-process link): ") + report);
        Check(report.Contains("\"low\"") && !report.Contains(owner.BindingId.ToString() + ","), "LOW reported, nothing personal");
        hw.Battery.SetStateOfCharge(100);
        device.PowerOnAfterCut();                      // new batteries: the lock restarts
        Say("new batteries fitted: the lock restarts and reads " + device.Core.Battery.Percent + " %");

        Step("Vendor: a signed update 1.1.0 goes to the lock over the owner's BLE session; test boot, self-test, confirm");
        byte[] image = SmartKey.Ota.ImageSigner.Sign(System.Text.Encoding.ASCII.GetBytes("SMARTKEY-FW 1.1.0 " + new string('x', 4000)), "1.1.0", 2, config.HardwareId, vendor);
        phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        device.Touch();
        phone.Connect();
        session = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _);
        var otaReply = session.SendImage(image, SmartKey.Ota.ImageSigner.OfferFor(image));
        phone.Disconnect();
        device.Advance(5000);
        Say($"image {image.Length} bytes verified (hash, key, ECDSA signature, hardware, counter, version); after the reboot the lock runs {device.Core.Firmware.Version} ({device.Core.Ota.State switch { 4 => "confirmed", _ => "state " + device.Core.Ota.State }})");
        Check(otaReply.State == SmartKey.Firmware.Ota.OtaState.Testing && device.Core.Firmware.Version == "1.1.0", "signed update installed");
        byte[] old = SmartKey.Ota.ImageSigner.Sign(System.Text.Encoding.ASCII.GetBytes("SMARTKEY-FW 1.0.5"), "1.0.5", 2, config.HardwareId, vendor);
        device.Touch();
        phone.Connect();
        session = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _);
        var refused = session.SendImage(old, SmartKey.Ota.ImageSigner.OfferFor(old));
        phone.Disconnect();
        Say("an older image is refused before a byte is written: " + SmartKey.Ota.ImageInspector.Describe(refused.Error));
        Check(refused.Error == SmartKey.Firmware.Ota.OtaError.Downgrade, "downgrade refused");

        Step("Owner: factory reset — keys, log and settings are wiped; the factory identity stays");
        phone = new SmartKeyPhone(new SimulatedPhoneTransport(device));
        phone.Connect();
        session = phone.Open(owner, CommandId.Status, Array.Empty<byte>(), out _);
        session.FactoryReset();
        device.Advance(100);
        Say("after reset: " + device.Core.Status.Snapshot());
        Check(!device.Core.Bindings.HasOwner && device.Core.Identity.Current != null, "reset keeps identity, drops keys");
        Check(hw.Flash.Snapshot().AsSpan().IndexOf(owner.Key.AsSpan(0, 16)) < 0, "no key residue in flash");
        Say("the raw flash image holds no byte sequence of the old owner key; the lock is back in pairing mode");
    }

    private static bool BrokerListening(int port)
    {
        try
        {
            using var probe = new System.Net.Sockets.TcpClient();
            return probe.ConnectAsync("127.0.0.1", port).Wait(200) && probe.Connected;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or AggregateException)
        {
            return false;
        }
    }

    private static byte Expect(Action action)
    {
        try
        {
            action();
        }
        catch (PhoneException e)
        {
            return e.Code;
        }

        throw new InvalidOperationException("expected the device to refuse");
    }

    private static string WrongCode(string code) => code[..^1] + (char)('0' + (code[^1] - '0' + 1) % 10);

    private static string DeviceStatusName(SimulatedDevice device) => SmartKey.Firmware.Status.DeviceStatus.LockName(device.Core.Lock.State);

    private static string Describe(DeviceStatusView s) =>
        $"bolt {s.Lock}, door {s.DoorText}, battery {s.BatteryPercent}% ({s.BatteryMillivolts} mV, {s.Battery}), time {s.DeviceTime:yyyy-MM-dd HH:mm}, {s.Keys} key(s), firmware {s.FirmwareVersion}";

    private void Show(SimulatedDevice device) => Say("status: " + device.Core.Status.Snapshot());

    private static void Check(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException("check failed: " + what);
    }

    private void Step(string title)
    {
        _out.WriteLine();
        _out.WriteLine("== " + title);
    }

    private void Say(string line) => _out.WriteLine("   " + line);
}
