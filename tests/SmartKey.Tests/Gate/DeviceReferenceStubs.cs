using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SmartKey.Tests.Gate;

/// <summary>
/// Writes the part of api-surface.tsv that is not in the real mscorlib (the nanoFramework packages other than
/// CoreLibrary, which are not served here) out as C# source for one stand-in library compiled against the real
/// mscorlib: every device type and member with the listed signature and a body that throws. Compiling the device
/// projects' sources (ESP32 hal and app included) against the real mscorlib and this finds what the device build
/// would reject: a missing type, member or overload, a wrong parameter type, a wrong return type. For the
/// stand-ins it cannot know what the list does not say: by-reference parameters are taken as out except
/// Interlocked's and Socket.ReceiveFrom's (ref); every class member is virtual; constants are plain static fields.
/// </summary>
public static class DeviceReferenceStubs
{
    /// <summary>The assembly of nanoFramework.CoreLibrary: real, never a stand-in.</summary>
    public const string CoreAssembly = "mscorlib";

    private static readonly Dictionary<string, string> Operators = new()
    {
        ["op_Equality"] = "==", ["op_Inequality"] = "!=", ["op_Addition"] = "+", ["op_Subtraction"] = "-",
        ["op_Multiply"] = "*", ["op_Division"] = "/", ["op_Modulus"] = "%", ["op_LessThan"] = "<",
        ["op_GreaterThan"] = ">", ["op_LessThanOrEqual"] = "<=", ["op_GreaterThanOrEqual"] = ">=",
        ["op_UnaryNegation"] = "-", ["op_UnaryPlus"] = "+", ["op_BitwiseAnd"] = "&", ["op_BitwiseOr"] = "|",
        ["op_ExclusiveOr"] = "^", ["op_OnesComplement"] = "~", ["op_LogicalNot"] = "!",
        ["op_Increment"] = "++", ["op_Decrement"] = "--",
    };

    private static readonly HashSet<string> SpecialClasses = new(StringComparer.Ordinal)
    {
        "System.Object", "System.ValueType", "System.Enum", "System.Delegate", "System.MulticastDelegate", "System.Array",
    };

    /// <summary>
    /// The stand-ins for every listed type outside mscorlib. virtualInCore answers, for a type and member key of the
    /// real mscorlib ("M Name(params)", "P Name/n", "E Name"), whether a derived stand-in may override it.
    /// </summary>
    public static string Generate(ApiSurface surface, Func<string, string, bool> virtualInCore)
    {
        var types = surface.Types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _virtualInCore = virtualInCore;
        _types = types;
        var text = new StringBuilder();
        text.AppendLine("#pragma warning disable");
        text.AppendLine("internal struct __StubMarker { }");
        foreach (var group in types.Values.Where(t => !t.Name.Contains('+') && t.Assembly != CoreAssembly).GroupBy(t => Namespace(t.Name)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append("namespace ").Append(group.Key).AppendLine(" {");
            foreach (var type in group.OrderBy(t => t.Name, StringComparer.Ordinal))
                EmitType(text, type, types);
            text.AppendLine("}");
        }

        EmitCompilerSupport(text, types);
        return text.ToString();
    }

    private static void EmitType(StringBuilder text, ApiSurface.TypeEntry type, Dictionary<string, ApiSurface.TypeEntry> types)
    {
        string name = SimpleName(type.Name);
        if (type.Kind == "interface")
        {
            text.Append("public interface ").Append(name).Append(BaseList(type.Interfaces)).AppendLine(" {");
            EmitMembers(text, type, types, isInterface: true, isStruct: false);
        }
        else if (type.BaseType == "System.Enum")
        {
            string underlying = type.Fields.Where(f => f.Name == "value__").Select(f => TypeName(f.Type)).FirstOrDefault() ?? "int";
            text.Append("public enum ").Append(name).Append(" : ").Append(underlying).AppendLine(" {");
            foreach (var field in type.Fields.Where(f => f.IsStatic))
                text.Append(field.Name).AppendLine(",");
        }
        else if (type.BaseType == "System.MulticastDelegate" && type.Name != "System.MulticastDelegate")
        {
            var invoke = type.Methods.First(m => m.Name == "Invoke");
            text.Append("public delegate ").Append(TypeName(invoke.Return)).Append(' ').Append(name)
                .Append('(').Append(ParameterList(invoke, type)).AppendLine(");");
            return;
        }
        else
        {
            bool isStruct = type.BaseType == "System.ValueType" && !SpecialClasses.Contains(type.Name);
            var bases = new List<string>();
            if (!isStruct && type.BaseType.Length > 0 && type.BaseType != "System.Object") bases.Add(type.BaseType);
            bases.AddRange(type.Interfaces);
            text.Append("public ").Append(SpecialClasses.Contains(type.Name) ? "abstract " : "")
                .Append(isStruct ? "struct " : "class ").Append(name).Append(BaseList(bases)).AppendLine(" {");
            if (!isStruct)
            {
                // The stand-in constructor lets stub classes derive from each other; the device code cannot call it.
                text.Append("internal ").Append(ConstructorName(type.Name)).Append("(global::__StubMarker m)").Append(BaseCall(type)).AppendLine(" { }");
            }

            EmitMembers(text, type, types, isInterface: false, isStruct: isStruct);
            EmitInterfaceGaps(text, type, types);
            foreach (var field in type.Fields.Where(f => f.Name != "value__"))
                text.Append("public ").Append(field.IsStatic ? "static " : "").Append(TypeName(field.Type)).Append(' ').Append(field.Name).AppendLine(";");
        }

        foreach (var nested in types.Values.Where(t => t.Name.StartsWith(type.Name + "+", StringComparison.Ordinal) && !t.Name.Substring(type.Name.Length + 1).Contains('+')))
            EmitType(text, nested, types);
        text.AppendLine("}");
    }

    private static void EmitMembers(StringBuilder text, ApiSurface.TypeEntry type, Dictionary<string, ApiSurface.TypeEntry> types, bool isInterface, bool isStruct)
    {
        string body = isInterface ? ";" : " { throw null; }";
        var accessors = type.Methods.Where(m => IsAccessor(m.Name)).ToList();
        foreach (var property in accessors.GroupBy(m => m.Name.Substring(4) + "/" + (m.Name.StartsWith("get_") ? m.Parameters.Length : m.Parameters.Length - 1)))
        {
            var getter = property.FirstOrDefault(m => m.Name.StartsWith("get_", StringComparison.Ordinal));
            var setter = property.FirstOrDefault(m => m.Name.StartsWith("set_", StringComparison.Ordinal));
            var any = getter ?? setter!;
            string propertyName = any.Name.Substring(4);
            string propertyType = getter != null ? getter.Return : setter!.Parameters[^1];
            string[] index = getter != null ? getter.Parameters : setter!.Parameters[..^1];
            if (index.Length > 0 && propertyName != "Item")
                text.Append("[global::System.Runtime.CompilerServices.IndexerName(\"").Append(propertyName).Append("\")] ");
            text.Append(Modifiers(type, any, types, isInterface, isStruct, PropertyKey(any)));
            if (index.Length > 0)
            {
                text.Append(TypeName(propertyType)).Append(" this[").Append(string.Join(", ", index.Select((p, i) => TypeName(p) + " p" + i))).Append("] {");
            }
            else
            {
                text.Append(TypeName(propertyType)).Append(' ').Append(propertyName).Append(" {");
            }

            if (getter != null) text.Append(" get").Append(body);
            if (setter != null) text.Append(" set").Append(body);
            text.AppendLine(" }");
        }

        foreach (var method in type.Methods.Where(m => !IsAccessor(m.Name)))
        {
            string name = method.Name;
            if (name == ".cctor" || name == "Finalize" || name.StartsWith("remove_", StringComparison.Ordinal)) continue;
            if (name == ".ctor")
            {
                if (isInterface || (isStruct && method.Parameters.Length == 0) || type.BaseType == "System.MulticastDelegate") continue;
                text.Append("public ").Append(ConstructorName(type.Name)).Append('(').Append(ParameterList(method, type)).Append(')')
                    .Append(isStruct ? "" : BaseCall(type)).AppendLine(" { throw null; }");
            }
            else if (name.StartsWith("add_", StringComparison.Ordinal))
            {
                text.Append(Modifiers(type, method, types, isInterface, isStruct, "E " + name.Substring(4)))
                    .Append("event ").Append(TypeName(method.Parameters[0])).Append(' ').Append(name.Substring(4));
                text.AppendLine(isInterface ? ";" : " { add { } remove { } }");
            }
            else if (Operators.TryGetValue(name, out string? symbol))
            {
                if (type.BaseType == "System.ValueType" && type.Name.StartsWith("System.", StringComparison.Ordinal) && IsPrimitive(type.Name)) continue;
                text.Append("public static ").Append(TypeName(method.Return)).Append(" operator ").Append(symbol)
                    .Append('(').Append(ParameterList(method, type)).AppendLine(") { throw null; }");
            }
            else if (name == "op_Implicit" || name == "op_Explicit")
            {
                text.Append("public static ").Append(name == "op_Implicit" ? "implicit" : "explicit").Append(" operator ")
                    .Append(TypeName(method.Return)).Append('(').Append(ParameterList(method, type)).AppendLine(") { throw null; }");
            }
            else
            {
                text.Append(Modifiers(type, method, types, isInterface, isStruct, "M " + method.Signature))
                    .Append(TypeName(method.Return)).Append(' ').Append(name).Append('(').Append(ParameterList(method, type)).Append(')').AppendLine(body);
            }
        }
    }

    /// <summary>Interface members a class lists no public member for are implemented explicitly, as the device's library does.</summary>
    private static void EmitInterfaceGaps(StringBuilder text, ApiSurface.TypeEntry type, Dictionary<string, ApiSurface.TypeEntry> types)
    {
        var own = new HashSet<string>(StringComparer.Ordinal);
        for (var t = type; t != null; t = t.BaseType.Length > 0 && types.TryGetValue(t.BaseType, out var b) ? b : null)
            foreach (var m in t.Methods) own.Add(m.Signature);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (string iface in AllInterfaces(type, types))
        {
            if (!types.TryGetValue(iface, out var def)) continue;
            foreach (var m in def.Methods)
            {
                if (own.Contains(m.Signature) || !done.Add(iface + m.Signature)) continue;
                if (m.Name.StartsWith("set_", StringComparison.Ordinal) || m.Name.StartsWith("remove_", StringComparison.Ordinal)) continue;
                if (m.Name.StartsWith("get_", StringComparison.Ordinal))
                {
                    bool hasSetter = def.Methods.Any(s => s.Name == "set_" + m.Name.Substring(4));
                    string target = m.Parameters.Length > 0 ? "this[" + string.Join(", ", m.Parameters.Select((p, i) => TypeName(p) + " p" + i)) + "]" : m.Name.Substring(4);
                    text.Append(TypeName(m.Return)).Append(' ').Append(TypeName(iface)).Append('.').Append(target)
                        .Append(" { get { throw null; }").Append(hasSetter ? " set { throw null; }" : "").AppendLine(" }");
                }
                else if (m.Name.StartsWith("add_", StringComparison.Ordinal))
                {
                    text.Append("event ").Append(TypeName(m.Parameters[0])).Append(' ').Append(TypeName(iface)).Append('.').Append(m.Name.Substring(4))
                        .AppendLine(" { add { } remove { } }");
                }
                else
                {
                    text.Append(TypeName(m.Return)).Append(' ').Append(TypeName(iface)).Append('.').Append(m.Name)
                        .Append('(').Append(ParameterList(m, def)).AppendLine(") { throw null; }");
                }
            }
        }
    }

    private static IEnumerable<string> AllInterfaces(ApiSurface.TypeEntry type, Dictionary<string, ApiSurface.TypeEntry> types)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(type.Interfaces);
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (!seen.Add(name)) continue;
            yield return name;
            if (types.TryGetValue(name, out var def))
                foreach (string i in def.Interfaces) pending.Push(i);
        }
    }

    private static string Modifiers(ApiSurface.TypeEntry type, ApiSurface.MethodEntry member, Dictionary<string, ApiSurface.TypeEntry> types, bool isInterface, bool isStruct, string key)
    {
        if (isInterface) return "";
        if (member.IsStatic) return "public static ";
        bool inherited = false, hidden = false;
        for (var t = type.BaseType.Length > 0 && types.TryGetValue(type.BaseType, out var b) ? b : null; t != null; t = t.BaseType.Length > 0 && types.TryGetValue(t.BaseType, out var bb) ? bb : null)
        {
            if (!inherited && t.Methods.Any(m => !m.IsStatic && MemberKey(m) == key))
            {
                inherited = true;
                hidden = t.Assembly == CoreAssembly && !_virtualInCore!(t.Name, key);   // the real member is not virtual
            }
        }

        if (hidden) return "public new ";
        if (isStruct) return inherited ? "public override " : "public ";
        return inherited ? "public override " : "public virtual ";
    }

    private static string MemberKey(ApiSurface.MethodEntry m) =>
        IsAccessor(m.Name) ? PropertyKey(m) : m.Name.StartsWith("add_", StringComparison.Ordinal) ? "E " + m.Name.Substring(4) : "M " + m.Signature;

    private static string PropertyKey(ApiSurface.MethodEntry m) =>
        "P " + m.Name.Substring(4) + "/" + (m.Name.StartsWith("get_", StringComparison.Ordinal) ? m.Parameters.Length : m.Parameters.Length - 1);

    private static bool IsAccessor(string name) =>
        name.StartsWith("get_", StringComparison.Ordinal) || name.StartsWith("set_", StringComparison.Ordinal);

    private static string ParameterList(ApiSurface.MethodEntry method, ApiSurface.TypeEntry owner) =>
        string.Join(", ", method.Parameters.Select((p, i) => ByRefKeyword(p, method, owner) + TypeName(p) + " p" + i));

    private static string ByRefKeyword(string parameter, ApiSurface.MethodEntry method, ApiSurface.TypeEntry owner)
    {
        if (!parameter.EndsWith('&')) return "";
        bool isRef = owner.Name == "System.Threading.Interlocked" || method.Name == "ReceiveFrom";
        return isRef ? "ref " : "out ";
    }

    private static string TypeName(string type)
    {
        type = type.TrimEnd('&');
        string suffix = "";
        while (type.EndsWith("[]", StringComparison.Ordinal))
        {
            suffix += "[]";
            type = type.Substring(0, type.Length - 2);
        }

        if (type == "System.Void") return "void";
        if (type.StartsWith("!", StringComparison.Ordinal)) return "T" + type.Substring(1) + suffix;
        return "global::" + type.Replace('+', '.') + suffix;
    }

    private static string BaseList(List<string> bases) =>
        bases.Count == 0 ? "" : " : " + string.Join(", ", bases.Select(TypeName));

    /// <summary>Stand-ins chain through their marker constructor; a real mscorlib base is built with its own parameterless one.</summary>
    private static string BaseCall(ApiSurface.TypeEntry type) =>
        type.Name == "System.Object" || type.BaseType is "" or "System.Object" || IsCore(type.BaseType) ? "" : " : base(default(global::__StubMarker))";

    private static bool IsCore(string typeName) => _types!.TryGetValue(typeName, out var t) && t.Assembly == CoreAssembly;

    [ThreadStatic] private static Func<string, string, bool>? _virtualInCore;
    [ThreadStatic] private static Dictionary<string, ApiSurface.TypeEntry>? _types;

    private static string Namespace(string name) => name.Substring(0, name.LastIndexOf('.'));

    /// <summary>The C# declaration name: Action`2 becomes Action&lt;T0, T1&gt; (the list writes type parameters as !0, !1).</summary>
    private static string SimpleName(string name)
    {
        int cut = Math.Max(name.LastIndexOf('.'), name.LastIndexOf('+'));
        string simple = name.Substring(cut + 1);
        int tick = simple.IndexOf('`');
        if (tick < 0) return simple;
        int arity = int.Parse(simple.Substring(tick + 1));
        return simple.Substring(0, tick) + "<" + string.Join(", ", Enumerable.Range(0, arity).Select(i => "T" + i)) + ">";
    }

    private static string ConstructorName(string name)
    {
        string simple = SimpleName(name);
        int angle = simple.IndexOf('<');
        return angle < 0 ? simple : simple.Substring(0, angle);
    }

    private static bool IsPrimitive(string name) => name is "System.Boolean" or "System.Char" or "System.SByte" or "System.Byte"
        or "System.Int16" or "System.UInt16" or "System.Int32" or "System.UInt32" or "System.Int64" or "System.UInt64"
        or "System.Single" or "System.Double" or "System.IntPtr" or "System.UIntPtr";

    /// <summary>Types the C# compiler needs to emit ordinary code, where the list does not name them (not APIs the code may call).</summary>
    private static void EmitCompilerSupport(StringBuilder text, Dictionary<string, ApiSurface.TypeEntry> types)
    {
        var support = new (string Namespace, string Declaration)[]
        {
            ("System.Runtime.CompilerServices", "public sealed class IndexerNameAttribute : global::System.Attribute { public IndexerNameAttribute(string n) { } }"),
            ("System.Reflection", "public sealed class DefaultMemberAttribute : global::System.Attribute { public DefaultMemberAttribute(string n) { } }"),
        };
        foreach (var (ns, declaration) in support)
        {
            string typeName = ns + "." + declaration.Split(' ')[3];
            if (types.ContainsKey(typeName)) continue;
            text.Append("namespace ").Append(ns).Append(" { ").Append(declaration).AppendLine(" }");
        }
    }
}
