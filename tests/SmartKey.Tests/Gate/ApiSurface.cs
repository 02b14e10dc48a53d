using System;
using System.Collections.Generic;
using System.IO;

namespace SmartKey.Tests.Gate;

/// <summary>
/// nanoframework/api-surface.tsv loaded for look-ups: which types exist on the device, in
/// which assembly, with which base type and interfaces, and which members (name, parameters, return).
/// </summary>
public sealed class ApiSurface
{
    public sealed class TypeEntry
    {
        public string Assembly = "";
        public string Name = "";
        public string Kind = "type";
        public string BaseType = "";
        public List<string> Interfaces = new();
        public HashSet<string> Members = new(StringComparer.Ordinal);
        public List<MethodEntry> Methods = new();
        public List<FieldEntry> Fields = new();
    }

    /// <summary>An M line: properties are get_/set_ methods, events add_/remove_, constructors .ctor.</summary>
    public sealed class MethodEntry
    {
        public bool IsStatic;
        public string Name = "";
        public string[] Parameters = Array.Empty<string>();
        public string Return = "";

        public string Signature => Name + "(" + string.Join(",", Parameters) + ")";
    }

    public sealed class FieldEntry
    {
        public bool IsStatic;
        public string Name = "";
        public string Type = "";
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
                    entry.Kind = cols[3];
                    foreach (string col in cols)
                    {
                        if (col.StartsWith("base=", StringComparison.Ordinal)) entry.BaseType = col.Substring(5);
                        if (col.StartsWith("interfaces=", StringComparison.Ordinal) && col.Length > 11)
                            entry.Interfaces.AddRange(col.Substring(11).Split(',', StringSplitOptions.RemoveEmptyEntries));
                    }
                    break;
                case "M":
                {
                    // "M <type> [static ]Name(params) <return>"
                    string member = StripStatic(cols[2]);
                    int open = member.IndexOf('(');
                    string parameters = member.Substring(open + 1, member.Length - open - 2);
                    var owner = surface.GetOrAdd(cols[1]);
                    owner.Members.Add(MethodKey(member, cols[3]));
                    owner.Methods.Add(new MethodEntry
                    {
                        IsStatic = member.Length != cols[2].Length,
                        Name = member.Substring(0, open),
                        Parameters = parameters.Length == 0 ? Array.Empty<string>() : parameters.Split(','),
                        Return = cols[3],
                    });
                    break;
                }

                case "F":
                {
                    // "F <type> [static ]Name <field type>"
                    string member = StripStatic(cols[2]);
                    var owner = surface.GetOrAdd(cols[1]);
                    owner.Members.Add(FieldKey(member, cols[3]));
                    owner.Fields.Add(new FieldEntry { IsStatic = member.Length != cols[2].Length, Name = member, Type = cols[3] });
                    break;
                }
            }
        }

        return surface;
    }

    public int TypeCount => _types.Count;

    public IEnumerable<TypeEntry> Types => _types.Values;

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
