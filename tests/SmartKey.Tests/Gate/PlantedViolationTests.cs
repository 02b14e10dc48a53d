using System.Linq;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>Proves the gate can fail: each snippet plants one thing the device cannot run.</summary>
public class PlantedViolationTests
{
    private static System.Collections.Generic.IReadOnlyList<string> Check(string body)
    {
        string source = "using System; using System.Collections; using System.Collections.Generic; using System.Linq; using System.Threading.Tasks;\n"
            + "namespace Planted { public class Culprit { " + body + " } }";
        var gate = new PortableGate(GateTests.Surface, GateTests.ProjectAssemblies);
        return gate.Check(SnippetCompiler.Compile(source));
    }

    private static void AssertCaught(string body, string expectedFragment)
    {
        var violations = Check(body);
        Assert.True(violations.Any(v => v.Contains(expectedFragment) && v.Contains("Planted.Culprit")),
            "expected a violation mentioning '" + expectedFragment + "' and the culprit type, got:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void CleanSnippetPasses()
    {
        var violations = Check("public int Sum(int[] a) { int s = 0; var list = new ArrayList(); foreach (int x in a) { s += x; list.Add(x); } lock (list) { s += list.Count; } return s + \"ab\".Substring(1).Length; }");
        Assert.Empty(violations);
    }

    [Fact]
    public void GenericListIsCaught() =>
        AssertCaught("public int F() { var l = new List<int>(); l.Add(1); return l.Count; }", "System.Collections.Generic.List`1");

    [Fact]
    public void LinqIsCaught() =>
        AssertCaught("public int F(int[] a) { return a.Where(x => x > 1).Count(); }", "System.Linq");

    [Fact]
    public void NullableValueTypeIsCaught() =>
        AssertCaught("public int F(int? x) { return x ?? 0; }", "System.Nullable`1");

    [Fact]
    public void TupleIsCaught() =>
        AssertCaught("public int F() { var t = (1, 2); return t.Item1 + t.Item2; }", "System.ValueTuple`2");

    [Fact]
    public void AsyncAwaitIsCaught() =>
        AssertCaught("public async Task<int> F() { await Task.Yield(); return 1; }", "System.Threading.Tasks");

    [Fact]
    public void YieldIsCaught()
    {
        // The state machine implements IEnumerator<object> and IEnumerable<object>: generic interfaces.
        var violations = Check("public IEnumerable F() { yield return 1; }");
        Assert.Contains(violations, v => v.Contains("System.Collections.Generic.IEnumerator`1") || v.Contains("System.Collections.Generic.IEnumerable`1"));
    }

    [Fact]
    public void GenericMethodDeclarationIsCaught() =>
        AssertCaught("public T Echo<T>(T value) { return value; }", "generic method Planted.Culprit.Echo");

    [Fact]
    public void GenericTypeDeclarationIsCaught()
    {
        var violations = Check("public class Box<T> { public T Value; }");
        Assert.Contains(violations, v => v.Contains("generic type Planted.Culprit+Box`1"));
    }

    [Fact]
    public void MissingOverloadIsCaught()
    {
        // string.Contains(char) exists on .NET, not on nanoFramework (only Contains(string)).
        var violations = Check("public bool F(string s) { return s.Contains('x'); }");
        Assert.Contains(violations, v => v.Contains("System.String::Contains(System.Char) System.Boolean is not in the nanoFramework API") && v.Contains("Planted.Culprit"));
    }

    [Fact]
    public void HardwareAssemblyTypeInPortableCodeIsCaught() =>
        // A type that exists on the device, but in a library portable code must reach through a hal interface.
        AssertCaught("public object F() { return new System.IO.MemoryStream(); }", "System.IO.MemoryStream");

    [Fact]
    public void StringInterpolationHandlerIsCaught() =>
        AssertCaught("public string F(int a, int b, int c, int d, int e) { return $\"{a}{b}{c}{d}{e}\"; }", "DefaultInterpolatedStringHandler");

    [Fact]
    public void SignedShiftOfAnUnsignedDifferenceIsCaught() =>
        // The borrow of a limb subtraction: on nanoCLR (long)a[0] - b[0] keeps the uint tag and >> 32 shifts in zeros.
        AssertCaught("public long F(uint[] a, uint[] b) { return ((long)a[0] - b[0]) >> 32; }", "shr of a value computed from unsigned operands in Planted.Culprit::F");

    [Fact]
    public void SignedShiftOfAnUnsignedParameterThroughIntCastIsCaught() =>
        AssertCaught("public int F(uint x, uint y) { return (int)(x - y) >> 31; }", "shr of a value computed from unsigned operands in Planted.Culprit::F");

    [Fact]
    public void SignedShiftOfAnUnsignedFieldProductIsCaught() =>
        AssertCaught("private ulong _a; public long F(long k) { return (long)(_a * 3) * k >> 1; }", "shr of a value computed from unsigned operands in Planted.Culprit::F");

    [Fact]
    public void ShiftsThatAreRightOnTheInterpreterPass()
    {
        // Unsigned shifts (shr.un), signed values from signed sources, a re-tag through a signed local kept by the
        // compiler, and the unsigned borrow the field code uses.
        var violations = Check("public long F(uint[] a, uint[] b, int d, long s) { long kept = 0; for (int i = 0; i < a.Length; i++) { kept += (long)a[i] - b[i]; kept >>= 32; } "
            + "ulong borrow = ((ulong)a[0] - b[0]) >> 63; uint mask = 0u - ((uint)d >> 31); return kept + (d >> 31) + (s >> 3) + (long)borrow + mask + (a[1] >> 5); }");
        Assert.Empty(violations);
    }

    [Fact]
    public void MultiDimensionalArrayIsCaught() =>
        AssertCaught("public int F() { var m = new int[2,2]; m[1,1] = 3; return m[1,1]; }", "multi-dimensional array");
}
