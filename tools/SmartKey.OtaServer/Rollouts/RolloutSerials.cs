using System;
using System.Data.Common;
using System.Linq;
using Dapper;

namespace SmartKey.OtaServer.Rollouts;

/// <summary>Serials named by rollouts (explicit target lists, canary groups): removed when a lock is erased.</summary>
public static class RolloutSerials
{
    public static int RemoveEverywhere(DbConnection c, DbTransaction tx, string serial)
    {
        int changed = 0;
        var rows = c.Query<(long id, string? serials, string plan)>("SELECT id, filter_serials, plan FROM rollouts", transaction: tx).ToList();
        foreach (var (id, serials, plan) in rows)
        {
            var list = TargetFilter.SplitSerials(serials);
            var groups = GroupPlan.Parse(plan);
            bool inList = list.Contains(serial, StringComparer.Ordinal);
            bool inPlan = groups.Groups.Any(g => g.Serials.Contains(serial, StringComparer.Ordinal));
            if (!inList && !inPlan) continue;
            string? newSerials = inList ? TargetFilter.JoinSerials(list.Where(s => s != serial)) : serials;
            string newPlan = inPlan ? groups.Without(serial).ToJson() : plan;
            c.Execute("UPDATE rollouts SET filter_serials = @newSerials, plan = @newPlan WHERE id = @id", new { newSerials, newPlan, id }, tx);
            changed++;
        }

        return changed;
    }
}
