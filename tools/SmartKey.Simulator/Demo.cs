using System;
using System.IO;
using SmartKey.Firmware.Boot;
using SmartKey.Firmware.Config;
using SmartKey.Hal;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator;

/// <summary>The scripted walk through the device's life, printed for a person to follow.</summary>
public sealed class Demo
{
    private readonly TextWriter _out;

    public Demo(TextWriter output) => _out = output;

    public int Run(DeviceConfig config, ulong seed)
    {
        var device = new SimulatedDevice(config, seed);
        var hw = device.Hardware;
        Step("Boot the simulated SmartKey (nf.config: " + config.NanoffTarget + ", firmware " + config.FirmwareVersion + ")");
        device.Boot();
        Show(device);
        Say($"advertising service data: {Convert.ToHexString(hw.Ble.AdvertisedServiceData!)} (format 1, flags, rotating nonce; no serial number)");
        Say($"BLE Device Information firmware revision: {hw.Ble.FirmwareRevision}");

        Step("A phone connects at the default MTU (23: 20-byte payloads)");
        hw.Ble.PhoneConnect();
        Say($"connected: {hw.Ble.IsConnected}, MTU {hw.Ble.Mtu}, still advertising: {hw.Ble.IsAdvertising}");
        hw.Ble.PhoneDisconnect();

        Step("A new advertising window draws a fresh nonce");
        string before = Convert.ToHexString(hw.Ble.AdvertisedServiceData!);
        device.Run(device.Core.StartAdvertisingWindow);
        Say($"nonce before {before[4..]}, after {Convert.ToHexString(hw.Ble.AdvertisedServiceData!)[4..]}");

        Step("The motor runs: the bolt travels, the battery sags under load");
        int idleMv = device.Core.ReadBatteryMillivolts();
        hw.Mechanism.SetDrive(MotorDrive.Retract);
        hw.Advance(100);
        int loadedMv = device.Core.ReadBatteryMillivolts();
        hw.Advance(hw.Mechanism.TravelMs);
        hw.Mechanism.SetDrive(MotorDrive.Stop);
        Say($"battery {idleMv} mV idle, {loadedMv} mV while the motor runs");
        Show(device);

        Step("The firmware sleeps for a day (deep sleep restarts the runtime; the timer wakes it)");
        device.Run(() => hw.Power.DeepSleep(WakeSources.Button | WakeSources.Timer, 24L * 3600 * 1000));
        Say($"woke by {hw.Power.LastWakeCause}; charge drawn so far {hw.PowerModel.TotalMilliampHours:F2} mAh; battery at {hw.Battery.StateOfChargePercent:F2} %; boots {device.Boots}");
        Show(device);

        Step("Power cut in the middle of a flash write, then power returns");
        var flash = hw.Flash;
        flash.EraseSector(0);
        flash.CutPowerAfter(0, tearTheNext: true);
        try
        {
            flash.Write(0, new byte[] { 0x12, 0x34, 0x56, 0x78 }, 0, 4);
        }
        catch (PowerLossException e)
        {
            Say(e.Message);
        }

        device.PowerOnAfterCut();
        var torn = new byte[4];
        flash.Read(0, torn, 0, 4);
        Say($"after the cut the 4 bytes read {Convert.ToHexString(torn)} (torn); sector 0 erased {flash.EraseCountOf(0)} time(s); boots so far {device.Boots}");
        Show(device);
        _out.WriteLine();
        _out.WriteLine("Demo finished.");
        return 0;
    }

    private void Show(SimulatedDevice device)
    {
        DeviceStatus status = device.Core.GetStatus();
        Say("status: " + status);
    }

    private void Step(string title)
    {
        _out.WriteLine();
        _out.WriteLine("== " + title);
    }

    private void Say(string line) => _out.WriteLine("   " + line);
}
