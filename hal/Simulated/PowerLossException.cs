using System;

namespace SmartKey.Hal.Simulated;

/// <summary>
/// Thrown by simulated hardware at the instant power is cut. It unwinds whatever the firmware was
/// doing, as a real power cut would; the simulator then "reboots" by building a new device on the
/// same flash. Firmware code must never catch it (it derives from Exception only so tests can).
/// </summary>
public sealed class PowerLossException : Exception
{
    public PowerLossException(string where) : base("power lost during " + where) { }
}
