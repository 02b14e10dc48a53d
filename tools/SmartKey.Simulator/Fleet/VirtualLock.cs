using System;
using System.Collections.Generic;
using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Storage;
using SmartKey.Firmware.Telemetry;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator.Fleet;

/// <summary>
/// One lock of the fleet: the firmware's own UpdateAgent on a FleetSlot and a real RecordStore on a small
/// simulated NOR flash (so a power cut mid-chunk goes through the firmware's resume path), a battery, and the
/// status queue of the firmware's Uplink. No BLE, no session, no unlock log: only what the backend sees.
/// The flash and agent are created at the first offer; a lock that is only reporting costs a few hundred bytes.
/// </summary>
public sealed class VirtualLock
{
    public const int MaxStatuses = 8;   // Uplink.MaxStatuses: the newest are kept
    private const int FlashSectorSize = 4096;
    private const int FlashSectors = 4;

    private readonly FleetOptions _options;
    private readonly Queue<byte[]> _statuses = new();
    private NorFlash? _flash;
    private RecordStore? _store;
    private UpdateAgent? _agent;
    private ErrorCounters? _errors;

    public VirtualLock(FleetOptions options, int index, Fault fault, double faultAt)
    {
        _options = options;
        Serial = options.SerialOf(index);
        Topics = new Topics(options.TopicPrefix, Serial);
        Fault = fault;
        FaultAt = faultAt;
        Slot = new FleetSlot(options.FirmwareVersion);
        if (fault == Fault.BadFlash) Slot.FailWritesPast = faultAt;
        Battery = fault == Fault.LowBattery ? BatteryState.Low : BatteryState.Ok;
    }

    public string Serial { get; }

    public Topics Topics { get; }

    public Fault Fault { get; }

    /// <summary>How far into a download the fault strikes (share of the image: power cut, drop, bad flash).</summary>
    public double FaultAt { get; }

    public bool FaultDue(UpdateAgent agent) => !FaultSpent && agent.State == Firmware.Ota.OtaState.Downloading && agent.Offset >= FaultAt * agent.ImageSize;

    /// <summary>True once the one-time fault (power cut, drop) has happened.</summary>
    public bool FaultSpent { get; set; }

    public FleetSlot Slot { get; }

    public BatteryState Battery { get; private set; }

    public string RunningVersion => Slot.RunningVersion;

    /// <summary>The last OTA state and error this lock reported (OtaState, OtaError).</summary>
    public byte LastState { get; private set; }

    public byte LastError { get; private set; }

    /// <summary>Downloads begun from the start (the slot erased for the image); a resumed download is not counted.</summary>
    public int DownloadsStarted => Slot.ImagesBegun;

    public int Confirmations { get; private set; }

    public int Reboots { get; private set; }

    /// <summary>A new day: a low battery is changed after LowBatteryDays.</summary>
    public void StartDay(int day)
    {
        if (Fault == Fault.LowBattery) Battery = day >= _options.LowBatteryDays ? BatteryState.Ok : BatteryState.Low;
        if (_agent != null) _agent.BatteryAllowsOta = Battery == BatteryState.Ok;
    }

    public UpdateAgent Agent
    {
        get
        {
            if (_agent == null) PowerOn(selfTestPassed: true);
            return _agent!;
        }
    }

    public bool HasFirmwareState => _agent != null;

    public byte[] TelemetryReport()
    {
        int percent = Battery == BatteryState.Ok ? 82 : 14;
        int millivolts = Battery == BatteryState.Ok ? 5900 : 4450;
        // Locks with a fault also report a jammed bolt each day, so the backend has error reports to show.
        if (_errors != null && _errors.Distinct == 0 && Fault != Fault.None) _errors.Count(Firmware.Protocol.ErrorCode.LockJammed);
        byte[] report = TelemetryJson.Report(Serial, RunningVersion, percent, millivolts, Battery, _errors);
        _errors?.Clear();
        return report;
    }

    public bool TryPeekStatus(out byte[] status)
    {
        lock (_statuses) return _statuses.TryPeek(out status!);
    }

    public void StatusSent()
    {
        lock (_statuses) _statuses.Dequeue();
    }

    public int QueuedStatuses
    {
        get { lock (_statuses) return _statuses.Count; }
    }

    /// <summary>Arms the flash so the next progress write is torn and power is lost (the PowerCut fault).</summary>
    public void ArmPowerCut()
    {
        _flash!.CutPowerAfter(0, tearTheNext: true);
    }

    /// <summary>The device restarts: RAM is gone (statuses, agent), the bootloader runs, the firmware boots and finishes a test boot.</summary>
    public void Reboot()
    {
        Reboots++;
        lock (_statuses) _statuses.Clear();
        Slot.BootloaderReset();
        PowerOn(selfTestPassed: Fault != Fault.BadBoot);
    }

    private void PowerOn(bool selfTestPassed)
    {
        if (_flash == null) _flash = new NorFlash(FlashSectorSize, FlashSectors);
        else _flash.PowerOn();
        _store = new RecordStore(_flash, 0, FlashSectors);
        var mounted = _store.Mount();
        _errors = new ErrorCounters(_store) { Enabled = true };
        _agent = new UpdateAgent(Slot, _store, _options.HardwareId)
        {
            TrustKeys = _options.TrustKeys,
            RunningVersion = Slot.RunningVersion,
            BatteryAllowsOta = Battery == BatteryState.Ok,
        };
        _agent.StatusChanged += OnStatus;
        _agent.OnBoot(mounted == StoreResult.Ok && selfTestPassed);
        _agent.FinishVerification();         // a check cut by a reboot starts again at boot
    }

    private void OnStatus(byte state, byte error, int offset, int size)
    {
        LastState = state;
        LastError = error;
        if (state == OtaState.Confirmed && error == OtaError.None) Confirmations++;
        QueueStatus(TelemetryJson.OtaStatus(state, error, offset, size));
    }

    public void QueueStatus(byte[] status)
    {
        lock (_statuses)
        {
            if (_statuses.Count >= MaxStatuses) _statuses.Dequeue();
            _statuses.Enqueue(status);
        }
    }
}
