using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SmartKey.Simulator.Fleet;

/// <summary>
/// What a running fleet tells its operator: a line every Interval (so a long run is never silent for 30 s), and the
/// verdict that no lock can reach the broker, once every lock has had its first window and none connected.
/// </summary>
public static class FleetProgress
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>True when the run so far shows a broker nobody reaches: windows opened, connections failed, none made.</summary>
    public static bool NoneConnected(Fleet fleet) => fleet.Stats.Connects == 0 && fleet.Stats.ConnectFailures > 0;

    /// <summary>Prints progress until stop; cancels giveUp when a whole day has passed and no lock could connect.</summary>
    public static async Task ReportAsync(Fleet fleet, TextWriter output, CancellationTokenSource giveUp, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, stop);
                var s = fleet.Stats;
                int updated = fleet.Locks.Count(l => l.RunningVersion != fleet.Options.FirmwareVersion);
                output.WriteLine($"fleet: day {fleet.Day:F1} of {fleet.Options.Days}: windows {s.Windows}, connects {s.Connects} (failed {s.ConnectFailures}), " +
                    $"offers {s.OffersReceived}, chunks {s.ChunksReceived}, updated {updated} of {fleet.Locks.Count}");
                if (fleet.Day >= 1 && NoneConnected(fleet))
                {
                    giveUp.Cancel();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
