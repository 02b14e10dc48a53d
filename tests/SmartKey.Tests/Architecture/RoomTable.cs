using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace SmartKey.Tests.Architecture;

/// <summary>
/// firmware/rooms.tsv: the rooms of the portable core, what each decides, and which rooms it may use.
/// One line per room, tab-separated: room, the rooms it may use (space-separated, "-" for none), what it
/// decides. Lines starting with # are comments. The dependency test, docs/architecture.md and its
/// diagram are all drawn from this one table.
/// </summary>
public sealed class RoomTable
{
    public static string DefaultPath => Path.Combine(RepoPaths.Root, "firmware", "rooms.tsv");

    private readonly Dictionary<string, SortedSet<string>> _uses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _decides = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    public IReadOnlyList<string> Rooms => _order;

    public static RoomTable Load(string path) => Parse(File.ReadAllText(path));

    public static RoomTable Parse(string text)
    {
        var table = new RoomTable();
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal)) continue;
            string[] cells = line.Split('\t');
            if (cells.Length != 3 || cells[0].Length == 0 || cells[2].Trim().Length == 0)
                throw new FormatException($"rooms.tsv line {lineNumber}: expected 'room<TAB>uses<TAB>decides', got '{line}'");
            string room = cells[0];
            if (table._uses.ContainsKey(room)) throw new FormatException($"rooms.tsv line {lineNumber}: room {room} listed twice");
            var uses = new SortedSet<string>(StringComparer.Ordinal);
            if (cells[1].Trim() != "-")
                foreach (string used in cells[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (used == room || !uses.Add(used))
                        throw new FormatException($"rooms.tsv line {lineNumber}: room {room} lists {used} twice or itself");
            table._uses[room] = uses;
            table._decides[room] = cells[2].Trim();
            table._order.Add(room);
        }

        foreach (var (room, uses) in table._uses)
            foreach (string used in uses)
                if (!table._uses.ContainsKey(used)) throw new FormatException($"rooms.tsv: room {room} may use {used}, which is not a room of the table");
        return table;
    }

    public bool Contains(string room) => _uses.ContainsKey(room);

    public bool MayUse(string room, string used) => room == used || (_uses.TryGetValue(room, out var uses) && uses.Contains(used));

    public IReadOnlyCollection<string> UsesOf(string room) => _uses[room];

    public string Decides(string room) => _decides[room];

    /// <summary>A cycle of the allowed graph as "A -> B -> A", or null when it has none.</summary>
    public string? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);   // 1 on the path, 2 done
        var path = new List<string>();
        foreach (string start in _order)
        {
            string? cycle = Visit(start, state, path);
            if (cycle != null) return cycle;
        }

        return null;
    }

    private string? Visit(string room, Dictionary<string, int> state, List<string> path)
    {
        if (state.TryGetValue(room, out int s))
        {
            if (s == 2) return null;
            int from = path.IndexOf(room);
            return string.Join(" -> ", path.Skip(from).Append(room));
        }

        state[room] = 1;
        path.Add(room);
        foreach (string used in _uses[room])
        {
            string? cycle = Visit(used, state, path);
            if (cycle != null) return cycle;
        }

        path.RemoveAt(path.Count - 1);
        state[room] = 2;
        return null;
    }

    /// <summary>The section of docs/architecture.md drawn from the table: the rooms, and the mermaid diagram.</summary>
    public string DocSection()
    {
        var sb = new StringBuilder();
        sb.Append("| room | decides | may use |\n|---|---|---|\n");
        foreach (string room in _order)
            sb.Append("| `").Append(room).Append("` | ").Append(_decides[room]).Append(" | ")
              .Append(_uses[room].Count == 0 ? "—" : string.Join(", ", _uses[room])).Append(" |\n");
        sb.Append("\n```mermaid\nflowchart TD\n");
        foreach (string room in _order)
            foreach (string used in _uses[room])
                sb.Append("    ").Append(room).Append(" --> ").Append(used).Append('\n');
        foreach (string room in _order.Where(r => _uses[r].Count == 0 && !_uses.Values.Any(u => u.Contains(r))))
            sb.Append("    ").Append(room).Append('\n');
        sb.Append("```\n");
        return sb.ToString();
    }
}
