using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SmartKey.OtaServer.Rollouts;

/// <summary>
/// The groups of a rollout, in order: explicit serial lists (the canary) and cumulative percentages of the
/// fleet. A lock's group is the first list that names it, else the first percentage that covers its bucket:
/// a stable hash of the serial (0..9999), so membership is reproducible and a lock is always in the same
/// share of the fleet. Default: canary → 1 % → 10 % → 50 % → 100 %.
/// </summary>
public sealed class GroupPlan
{
    public sealed record Group(string Name, string[] Serials, int? Percent);

    public const int Buckets = 10000;

    public GroupPlan(IReadOnlyList<Group> groups)
    {
        if (groups.Count == 0) throw new ArgumentException("a rollout needs at least one group");
        int last = 0;
        foreach (var g in groups)
        {
            if (g.Percent == null && g.Serials.Length == 0 && g.Name != "canary") throw new ArgumentException($"group '{g.Name}' has neither serials nor a percentage");
            if (g.Percent is { } p)
            {
                if (p < 1 || p > 100) throw new ArgumentException($"group '{g.Name}': a percentage is 1 to 100");
                if (p <= last) throw new ArgumentException($"group '{g.Name}': percentages grow from group to group ({p} % after {last} %)");
                last = p;
            }
        }

        Groups = groups;
    }

    public IReadOnlyList<Group> Groups { get; }

    public static GroupPlan Default(IEnumerable<string> canary, IEnumerable<int>? percents = null)
    {
        var groups = new List<Group> { new("canary", canary.Distinct().ToArray(), null) };
        foreach (int p in percents ?? new[] { 1, 10, 50, 100 }) groups.Add(new Group(p + "%", Array.Empty<string>(), p));
        return new GroupPlan(groups);
    }

    /// <summary>The stable bucket of a serial, 0..9999 (the first four bytes of SHA-256 of a fixed prefix and the serial).</summary>
    public static int Bucket(string serial)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("smartkey-rollout-bucket/1:" + serial));
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % Buckets);
    }

    /// <summary>The index of the lock's group, or -1 when no group takes it (a plan that stops short of 100 %).</summary>
    public int GroupOf(string serial)
    {
        for (int i = 0; i < Groups.Count; i++)
            if (Groups[i].Serials.Contains(serial, StringComparer.Ordinal)) return i;
        int bucket = Bucket(serial);
        for (int i = 0; i < Groups.Count; i++)
            if (Groups[i].Percent is { } p && bucket < p * (Buckets / 100)) return i;
        return -1;
    }

    public GroupPlan Without(string serial) => new(Groups.Select(g => g with { Serials = g.Serials.Where(s => s != serial).ToArray() }).ToList());

    public string ToJson() => JsonSerializer.Serialize(Groups.Select(g => new PlanEntry { Name = g.Name, Serials = g.Serials, Percent = g.Percent }).ToList());

    public static GroupPlan Parse(string json)
    {
        var entries = JsonSerializer.Deserialize<List<PlanEntry>>(json) ?? throw new FormatException("empty group plan");
        return new GroupPlan(entries.Select(e => new Group(e.Name ?? "", e.Serials ?? Array.Empty<string>(), e.Percent)).ToList());
    }

    private sealed class PlanEntry
    {
        public string? Name { get; set; }
        public string[]? Serials { get; set; }
        public int? Percent { get; set; }
    }
}
