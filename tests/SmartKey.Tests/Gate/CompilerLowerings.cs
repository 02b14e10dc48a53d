using System.Collections.Generic;

namespace SmartKey.Tests.Gate;

/// <summary>
/// References the host C# compiler emits for portable code that the nanoFramework toolchain emits
/// differently. Each is accepted only for this reason; everything else must be in api-surface.tsv.
/// Keep this list short: an entry here is a promise about the device build.
/// </summary>
public static class CompilerLowerings
{
    /// <summary>Whole types the compiler references on its own.</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new Dictionary<string, string>
    {
        // Assembly-level attributes the C# compiler adds to every assembly; nanoFramework's
        // MetadataProcessor drops attributes it does not know when it builds the .pe file.
        ["System.Runtime.CompilerServices.CompilationRelaxationsAttribute"] = "added by csc to every assembly",
        ["System.Runtime.CompilerServices.RuntimeCompatibilityAttribute"] = "added by csc to every assembly",
        ["System.Runtime.CompilerServices.RefSafetyRulesAttribute"] = "added by newer csc even at LangVersion 9",
        // Marks lambdas' closure classes, iterator-free state; informational only.
        ["System.Runtime.CompilerServices.CompilerGeneratedAttribute"] = "marks compiler-made closure classes",
        // Nullable metadata; Nullable is disabled in portable projects, but the compiler may still emit it.
        ["System.Runtime.CompilerServices.NullableAttribute"] = "nullable annotations metadata",
        ["System.Runtime.CompilerServices.NullableContextAttribute"] = "nullable annotations metadata",
    };

    /// <summary>Members spelled as the gate keys them ("Type::M Name(params) Return").</summary>
    public static readonly IReadOnlyDictionary<string, string> Members = new Dictionary<string, string>
    {
        // `lock (x)`: csc lowers to Enter(object, ref bool); nanoFramework's compiler uses Enter(object), which is listed.
        ["System.Threading.Monitor::M Enter(System.Object,System.Boolean&) System.Void"] = "lock statement lowering",
        // Field-like event accessors: csc emits a CompareExchange<T> loop when the referenced corlib has the
        // generic Interlocked.CompareExchange (the host) and plain Delegate.Combine/Remove when it does not
        // (nanoFramework's mscorlib, whose Combine and Remove are listed).
        ["System.Threading.Interlocked::M CompareExchange(!!0&,!!0,!!0) !!0"] = "field-like event lowering",
    };
}
