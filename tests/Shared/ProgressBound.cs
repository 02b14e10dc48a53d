using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace SmartKey.TestSupport;

/// <summary>
/// (Shared by both test projects, linked into each.)
/// A wait whose bound scales with the work instead of the machine's speed: it gives up only when the measure of
/// progress has not moved for the stall time (or, as a last resort, after the ceiling). A loaded machine takes
/// longer but keeps moving; a hung rollout stops moving and fails after the stall time.
/// </summary>
public static class ProgressBound
{
    public static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(20);

    /// <summary>True once done() holds; false when progress() stood still for stall, or the ceiling passed, or stop was signalled.</summary>
    public static async Task<bool> UntilAsync(Func<bool> done, Func<long> progress, TimeSpan? stall = null, CancellationToken stop = default)
    {
        var total = Stopwatch.StartNew();
        var still = Stopwatch.StartNew();
        long last = progress();
        while (!done())
        {
            if (stop.IsCancellationRequested || total.Elapsed > Ceiling) return false;
            long now = progress();
            if (now != last)
            {
                last = now;
                still.Restart();
            }
            else if (still.Elapsed > (stall ?? Stall))
            {
                return false;
            }

            await Task.Delay(200, CancellationToken.None);
        }

        return true;
    }
}
