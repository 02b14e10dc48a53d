using System.Collections.Generic;
using System.Linq;

namespace SmartKey.Tests.Architecture;

/// <summary>Holds compiled firmware to the room table: each violation names both rooms and the types.</summary>
public static class RoomGate
{
    public static IReadOnlyList<string> Violations(RoomTable table, byte[] image)
    {
        var violations = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (string room in RoomReferences.Rooms(image).Where(r => !table.Contains(r)))
            violations.Add($"room {room} (namespace SmartKey.Firmware.{room}) is not in firmware/rooms.tsv");
        foreach (var (user, used) in RoomReferences.CrossRoom(image))
        {
            string from = RoomReferences.RoomOf(user)!, to = RoomReferences.RoomOf(used)!;
            if (!table.Contains(from) || table.MayUse(from, to)) continue;
            violations.Add($"room {from} may not use room {to}: {user} references {used}");
        }

        return violations.ToList();
    }

    /// <summary>Allowed edges no type uses: the table (and the diagram drawn from it) would claim more than the code does.</summary>
    public static IReadOnlyList<string> UnusedPermissions(RoomTable table, byte[] image)
    {
        var used = new HashSet<(string, string)>(RoomReferences.CrossRoom(image).Select(p => (RoomReferences.RoomOf(p.User)!, RoomReferences.RoomOf(p.Used)!)));
        return table.Rooms.SelectMany(r => table.UsesOf(r).Where(u => !used.Contains((r, u))).Select(u => $"rooms.tsv lets {r} use {u}, but no type of {r} uses {u}")).ToList();
    }

    /// <summary>The room graph the code has (room -> rooms its types use), for reports and for writing the table.</summary>
    public static SortedDictionary<string, SortedSet<string>> Graph(byte[] image)
    {
        var graph = new SortedDictionary<string, SortedSet<string>>(System.StringComparer.Ordinal);
        foreach (string room in RoomReferences.Rooms(image)) graph[room] = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var (user, usedType) in RoomReferences.CrossRoom(image)) graph[RoomReferences.RoomOf(user)!].Add(RoomReferences.RoomOf(usedType)!);
        return graph;
    }
}
