using System;
using System.Collections.Generic;
using System.IO;

namespace SmartKey.Tests.Gate;

/// <summary>
/// ../shared/nanoframework/api-surface.tsv loaded for look-ups: which types exist on the device, in
/// which assembly, with which base type and interfaces, and which members (name, parameters, return).
/// </summary>
public sealed class ApiSurface
{
    public sealed class TypeEntry
    {
        public string Assembly = "";
        public string Name = "";
        public string BaseType = "";
        public List<string> Interfaces = new();
        public HashSet<string> Members = new(StringComparer.Ordinal);
    }

    private readonly Dictionary<string, TypeEntry> _types = new(StringComparer.Ordinal);

    public static ApiSurface Load(string path)
    {
        var surface = new ApiSurface();
        foreach (string raw in File.ReadLines(path))
        {
            if (raw.Length == 0 || raw[0] == '#') continue;
            string[] cols = raw.Split('\t');
            switch (cols[0])
            {
                case "T":
                    var entry = surface.GetOrAdd(cols[2]);
                    entry.Assembly = cols[1];
                    foreach (string col in cols)
                    {
                        if (col.StartsWith("base=", StringComparison.Ordinal)) entry.BaseType = col.Substring(5);
                        if (col.StartsWith("interfaces=", StringComparison.Ordinal) && col.Length > 11)
                            entry.Interfaces.AddRange(col.Substring(11).Split(',', StringSplitOptions.RemoveEmptyEntries));
                    }
                    break;
                case "M":
                    // "M <type> [static ]Name(params) <return>"
                    surface.GetOrAdd(cols[1]).Members.Add(MethodKey(StripStatic(cols[2]), cols[3]));
                    break;
                case "F":
                    // "F <type> [static ]Name <field type>"
                    surface.GetOrAdd(cols[1]).Members.Add(FieldKey(StripStatic(cols[2]), cols[3]));
                    break;
            }
        }

        return surface;
    }

    public int TypeCount => _types.Count;

    public bool TryGetType(string fullName, out TypeEntry entry) => _types.TryGetValue(fullName, out entry!);

    public static string MethodKey(string nameAndParameters, string returnType) => "M " + nameAndParameters + " " + returnType;

    public static string FieldKey(string name, string fieldType) => "F " + name + " " + fieldType;

    /// <summary>True when the type or one of its base types or interfaces lists the member.</summary>
    public bool HasMember(string typeName, string memberKey)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(typeName);
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (!seen.Add(name) || !_types.TryGetValue(name, out var entry)) continue;
            if (entry.Members.Contains(memberKey)) return true;
            if (entry.BaseType.Length > 0) pending.Push(entry.BaseType);
            foreach (string i in entry.Interfaces) pending.Push(i);
        }

        return false;
    }

    private TypeEntry GetOrAdd(string name)
    {
        if (!_types.TryGetValue(name, out var entry))
        {
            entry = new TypeEntry { Name = name };
            _types.Add(name, entry);
        }

        return entry;
    }

    private static string StripStatic(string member) =>
        member.StartsWith("static ", StringComparison.Ordinal) ? member.Substring(7) : member;
}
