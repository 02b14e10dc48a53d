using System;
using System.IO;
using System.Linq;
using SmartKey.Firmware.Telemetry;

namespace SmartKey.Simulator.Fleet;

/// <summary>The end of a fleet run as an operator reads it: where every lock ended, by fault, and what crossed the wire.</summary>
public static class FleetSummary
{
    public static void Write(Fleet fleet, TextWriter output)
    {
        var s = fleet.Stats;
        output.WriteLine($"fleet: {fleet.Locks.Count} locks, {fleet.Day:F1} simulated days in {fleet.Elapsed.TotalSeconds:F1} s");
        foreach (var group in fleet.Locks.GroupBy(l => l.RunningVersion).OrderBy(g => g.Key))
            output.WriteLine($"  running {group.Key}: {group.Count()}");
        foreach (var group in fleet.Locks.GroupBy(l => (l.LastState, l.LastError)).OrderBy(g => g.Key))
            output.WriteLine($"  last status {TelemetryJson.OtaStateName(group.Key.LastState)} (error {group.Key.LastError}): {group.Count()}");
        foreach (var group in fleet.Locks.Where(l => l.Fault != Fault.None).GroupBy(l => l.Fault).OrderBy(g => g.Key))
            output.WriteLine($"  fault {group.Key}: {group.Count()} locks, {group.Count(l => l.Confirmations > 0)} confirmed an update");
        output.WriteLine($"  windows {s.Windows}, connects {s.Connects} (failed {s.ConnectFailures}, dropped {s.Drops}), telemetry {s.TelemetrySent}, statuses {s.StatusesSent}");
        var identities = fleet.Options.Identities;
        if (identities != null)
            output.WriteLine($"  TLS identities: {identities.Issued} certificates issued in {identities.IssueTime.TotalSeconds:F2} s ({(identities.Issued == 0 ? 0 : identities.IssueTime.TotalMilliseconds / identities.Issued):F2} ms each)");
        output.WriteLine($"  offers {s.OffersReceived}, chunk requests {s.ChunkRequests}, chunks {s.ChunksReceived} ({s.ChunkBytes / 1e6:F1} MB), reboots {s.Reboots}, power cuts {s.PowerCuts}");
    }
}
