using System;
using System.Collections.Generic;
using System.Linq;
using Dapper;
using SmartKey.OtaServer.Storage;

namespace SmartKey.OtaServer.StatusPage;

/// <summary>
/// The fleet at a glance, from the registry and the last day's telemetry: locks per firmware version, per
/// battery state, and error codes reported in the last day. Only the four kinds of data a lock sends exist
/// here, and the page shows them only as counts, never per serial.
/// </summary>
public sealed record FleetOverview(int Locks, IReadOnlyList<(string version, int locks)> Versions, IReadOnlyList<(string state, int locks)> Batteries,
    IReadOnlyList<(int code, long count)> ErrorsLastDay)
{
    public static FleetOverview Read(Database db, long nowMs)
    {
        using var c = db.Connect();
        int locks = (int)c.ExecuteScalar<long>("SELECT COUNT(*) FROM devices");
        var versions = c.Query<(string, long)>("SELECT COALESCE(firmware, 'not reported'), COUNT(*) FROM devices GROUP BY COALESCE(firmware, 'not reported') ORDER BY 1")
            .Select(r => (r.Item1, (int)r.Item2)).ToList();
        var batteries = c.Query<(string, long)>("SELECT COALESCE(battery_state, 'not reported'), COUNT(*) FROM devices GROUP BY COALESCE(battery_state, 'not reported') ORDER BY 1")
            .Select(r => (r.Item1, (int)r.Item2)).ToList();
        var errors = new SortedDictionary<int, long>();
        foreach (string text in c.Query<string>("SELECT errors FROM telemetry WHERE received_at >= @since AND errors <> ''", new { since = nowMs - 86_400_000L }))
        {
            foreach (string pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = pair.Split(':');
                if (parts.Length == 2 && int.TryParse(parts[0], out int code) && long.TryParse(parts[1], out long count))
                    errors[code] = errors.GetValueOrDefault(code) + count;
            }
        }

        return new FleetOverview(locks, versions, batteries, errors.Select(e => (e.Key, e.Value)).ToList());
    }
}
