using System;
using System.Collections.Generic;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// Charge drawn per power state over simulated time. Currents are averages for an ESP32-WROOM-32 module
/// with its regulator, from the ESP32 datasheet (v4.x, table "Power consumption by power modes") and
/// Espressif's BLE/Wi-Fi current notes; the motor is a typical 6 V gear motor driving a deadbolt:
///   deep sleep (RTC timer + RTC memory, regulator quiescent included) 0.015 mA
///   awake, radios off (CPU 80 MHz, modem sleep)                     25 mA
///   BLE advertising (100 ms interval, average incl. TX bursts)        35 mA
///   BLE connected (30 ms connection interval, average)               45 mA
///   Wi-Fi associated and sending (average over the window)           120 mA
///   motor running (stall-limited deadbolt motor, plus CPU)            300 mA
/// </summary>
public sealed class SimPowerModel
{
    public static readonly IReadOnlyDictionary<PowerState, double> DefaultMilliamps = new Dictionary<PowerState, double>
    {
        [PowerState.DeepSleep] = 0.015,
        [PowerState.AwakeIdle] = 25,
        [PowerState.BleAdvertising] = 35,
        [PowerState.BleConnected] = 45,
        [PowerState.WifiActive] = 120,
        [PowerState.MotorRunning] = 300,
    };

    private readonly Dictionary<PowerState, double> _milliamps;
    private readonly Dictionary<PowerState, long> _timeMs = new();

    public SimPowerModel(IReadOnlyDictionary<PowerState, double>? milliamps = null)
    {
        _milliamps = new Dictionary<PowerState, double>(milliamps ?? DefaultMilliamps);
        foreach (PowerState s in Enum.GetValues<PowerState>()) _timeMs[s] = 0;
    }

    public double MilliampsOf(PowerState state) => _milliamps[state];

    public long TimeInMs(PowerState state) => _timeMs[state];

    public double TotalMilliampHours { get; private set; }

    /// <summary>Accounts for time spent in a state and returns the charge it drew (mAh).</summary>
    public double Spend(PowerState state, long milliseconds)
    {
        _timeMs[state] += milliseconds;
        double mAh = _milliamps[state] * milliseconds / 3_600_000.0;
        TotalMilliampHours += mAh;
        return mAh;
    }

    /// <summary>Days a battery of this usable capacity lasts at the average draw seen so far over the given span.</summary>
    public static double LifetimeDays(double capacityMilliampHours, double milliampHoursPerDay) =>
        capacityMilliampHours / milliampHoursPerDay;
}
