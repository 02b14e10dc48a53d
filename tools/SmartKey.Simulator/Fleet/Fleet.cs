using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;

namespace SmartKey.Simulator.Fleet;

/// <summary>
/// N virtual locks in one process, each opening its daily window at its own offset into a compressed day
/// (a stable hash of the serial, as the firmware spreads windows over the day), each with its own client id (and over TLS its own certificate, FleetIdentities).
/// Faults are dealt out by the seed: exactly round(rate × N) locks get each, at a point of the download drawn from the seed.
/// </summary>
public sealed class Fleet
{
    private readonly FleetOptions _options;
    private readonly MqttClientFactory _factory = new();
    private readonly Stopwatch _clock = new();

    public Fleet(FleetOptions options)
    {
        options.Validate();
        _options = options;
        Locks = DealFaults(options);
    }

    public IReadOnlyList<VirtualLock> Locks { get; }

    public FleetOptions Options => _options;

    public FleetStats Stats { get; } = new();

    /// <summary>Simulated days since the run began.</summary>
    public double Day => _clock.Elapsed.TotalMilliseconds / _options.Day.TotalMilliseconds;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Runs every lock's days until Options.Days have passed or stop is signalled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        _clock.Start();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop);
        linked.CancelAfter(TimeSpan.FromMilliseconds(_options.Day.TotalMilliseconds * _options.Days));
        await Task.WhenAll(Locks.Select(l => LiveAsync(l, linked.Token)));
    }

    private async Task LiveAsync(VirtualLock virtualLock, CancellationToken stop)
    {
        var window = new LockWindow(virtualLock, _options, Stats, _factory);
        double offset = WindowOffset(virtualLock.Serial);
        for (int day = 0; !stop.IsCancellationRequested; day++)
        {
            var due = TimeSpan.FromMilliseconds((day + offset) * _options.Day.TotalMilliseconds) - _clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            virtualLock.StartDay(day);
            await window.RunAsync(stop);
        }
    }

    /// <summary>Where in the day a lock's window opens (0..1): stable per serial (FNV-1a).</summary>
    public static double WindowOffset(string serial)
    {
        uint h = 2166136261;
        foreach (char c in serial) h = (h ^ c) * 16777619;
        return (h % 10000) / 10000.0;
    }

    private static VirtualLock[] DealFaults(FleetOptions options)
    {
        var random = new Random((int)(options.Seed % int.MaxValue));
        var order = Enumerable.Range(0, options.Count).OrderBy(_ => random.Next()).ToArray();
        var faults = new Fault[options.Count];
        int next = 0;
        foreach (var (fault, rate) in new[]
                 {
                     (Fault.BadFlash, options.Faults.BadFlash), (Fault.LowBattery, options.Faults.LowBattery), (Fault.PowerCut, options.Faults.PowerCut),
                     (Fault.BrokerDrop, options.Faults.BrokerDrop), (Fault.BadBoot, options.Faults.BadBoot),
                 })
        {
            int n = (int)Math.Round(rate * options.Count);
            for (int i = 0; i < n && next < order.Length; i++) faults[order[next++]] = fault;
        }

        var locks = new VirtualLock[options.Count];
        for (int i = 0; i < locks.Length; i++) locks[i] = new VirtualLock(options, i, faults[i], 0.1 + 0.8 * random.NextDouble());
        return locks;
    }
}
