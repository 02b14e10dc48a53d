using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using SmartKey.OtaServer.Tests.Fixtures;

namespace SmartKey.OtaServer.Tests.Fleet;

/// <summary>Locks SK-&lt;prefix&gt;-001… and the days they live through: every lock's window at once, then the server's driver.</summary>
public sealed class SimFleet
{
    public SimFleet(ServerLab lab, string prefix, int count, Func<int, System.Security.Cryptography.ECDsa>? trust = null)
    {
        Lab = lab;
        Locks = Enumerable.Range(1, count).Select(i => new SimLock($"SK-{prefix}-{i:000}", lab.Broker.Host, lab.Broker.Port, trust?.Invoke(i) ?? TestKeys.Vendor, (ulong)(1000 + i))).ToList();
        lab.Admit(Locks.Select(l => l.Serial));
    }

    public ServerLab Lab { get; }

    public List<SimLock> Locks { get; }

    public SimLock this[string serial] => Locks.Single(l => l.Serial == serial);

    public int Days { get; private set; }

    /// <summary>One day: every lock's window (in parallel), the server takes in what they sent, the driver runs, the clock moves a day.</summary>
    public void Day(IEnumerable<SimLock>? only = null)
    {
        var locks = (only ?? Locks).ToList();
        var errors = new List<Exception>();
        var threads = locks.Select(l => new Thread(() =>
        {
            try
            {
                l.Window();
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.Count > 0) throw new AggregateException(errors);
        Lab.WaitQuiet();
        Lab.Tick();
        Lab.Clock.Advance(TimeSpan.FromDays(1));
        Days++;
    }
}
