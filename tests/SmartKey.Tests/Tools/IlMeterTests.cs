using System;
using System.IO;
using System.Runtime.Loader;
using Mono.Cecil;
using Mono.Cecil.Cil;
using SmartKey.Benchmarks.IlMeter;
using Xunit;

namespace SmartKey.Tests.Tools;

/// <summary>
/// The benchmark's IL meter (BasicBlockInstrumenter, linked from tests/SmartKey.Benchmarks) on methods written
/// opcode by opcode, whose executed opcode counts are known by hand.
/// </summary>
public class IlMeterTests
{
    /// <summary>Builds a one-type assembly with the methods `emit` writes, instruments it, loads it and returns the type.</summary>
    private static Type Metered(Action<ModuleDefinition, TypeDefinition> emit)
    {
        string name = "IlMeterProbe" + Guid.NewGuid().ToString("N");
        using var assembly = AssemblyDefinition.CreateAssembly(new AssemblyNameDefinition(name, new Version(1, 0)), name, ModuleKind.Dll);
        var module = assembly.MainModule;
        var type = new TypeDefinition("Probe", "Methods", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class, module.TypeSystem.Object);
        module.Types.Add(type);
        emit(module, type);
        string path = Path.Combine(Path.GetTempPath(), name + ".dll");
        try
        {
            assembly.Write(path);
            byte[] instrumented = BasicBlockInstrumenter.Instrument(path);
            var context = new AssemblyLoadContext(name, isCollectible: true);
            return context.LoadFromStream(new MemoryStream(instrumented)).GetType("Probe.Methods")!;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static MethodDefinition Method(ModuleDefinition module, TypeDefinition type, string name, int parameters)
    {
        var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static, module.TypeSystem.Int32);
        for (int i = 0; i < parameters; i++) method.Parameters.Add(new ParameterDefinition(module.TypeSystem.Int32));
        type.Methods.Add(method);
        return method;
    }

    private static long Executed(Type type) =>
        (long)type.Assembly.GetType(BasicBlockInstrumenter.CounterTypeName)!.GetField(BasicBlockInstrumenter.CounterFieldName)!.GetValue(null)!;

    private static long Run(Type type, string method, params object[] args)
    {
        long before = Executed(type);
        type.GetMethod(method)!.Invoke(null, args);
        return Executed(type) - before;
    }

    [Fact]
    public void AStraightLineMethodCountsEachOpcodeOnceAndACallAsOne()
    {
        var type = Metered((module, t) =>
        {
            // ldarg.0 ldarg.1 add call Math.Abs(int) ret: 5 opcodes, whatever Abs executes.
            var il = Method(module, t, "AddAbs", 2).Body.GetILProcessor();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Call, module.ImportReference(typeof(Math).GetMethod(nameof(Math.Abs), new[] { typeof(int) })));
            il.Emit(OpCodes.Ret);
        });

        Assert.Equal(5, Run(type, "AddAbs", 2, -9));
        Assert.Equal(5, Run(type, "AddAbs", 1, 1));
        Assert.Equal(7, (int)type.GetMethod("AddAbs")!.Invoke(null, new object[] { 2, -9 })!);   // the method still computes
    }

    [Fact]
    public void ALoopCountsEveryBlockEachTimeItRuns()
    {
        var type = Metered((module, t) =>
        {
            // i = 0; goto check; body: i = i + 1; check: if (i < n) goto body; return i;
            var method = Method(module, t, "CountTo", 1);
            method.Body.Variables.Add(new VariableDefinition(module.TypeSystem.Int32));
            var il = method.Body.GetILProcessor();
            var body = il.Create(OpCodes.Ldloc_0);
            var check = il.Create(OpCodes.Ldloc_0);
            il.Emit(OpCodes.Ldc_I4_0);              // entry block: 3 opcodes
            il.Emit(OpCodes.Stloc_0);
            il.Emit(OpCodes.Br, check);
            il.Append(body);                        // body block: 4 opcodes
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc_0);
            il.Append(check);                       // check block: 3 opcodes
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Blt, body);
            il.Emit(OpCodes.Ldloc_0);               // exit block: 2 opcodes
            il.Emit(OpCodes.Ret);
        });

        foreach (int n in new[] { 0, 1, 10, 1000 })
        {
            Assert.Equal(3 + 4L * n + 3L * (n + 1) + 2, Run(type, "CountTo", n));
            Assert.Equal(n, (int)type.GetMethod("CountTo")!.Invoke(null, new object[] { n })!);
        }
    }

    [Fact]
    public void APrefixIsOneDispatchWithTheOpcodeItModifies()
    {
        var type = Metered((module, t) =>
        {
            // ldsflda s; volatile. ldind.i4; ret: volatile. + ldind.i4 count as one, so 3.
            var field = new FieldDefinition("s", Mono.Cecil.FieldAttributes.Public | Mono.Cecil.FieldAttributes.Static, module.TypeSystem.Int32);
            t.Fields.Add(field);
            var il = Method(module, t, "ReadVolatile", 0).Body.GetILProcessor();
            il.Emit(OpCodes.Ldsflda, field);
            il.Emit(OpCodes.Volatile);
            il.Emit(OpCodes.Ldind_I4);
            il.Emit(OpCodes.Ret);
        });

        Assert.Equal(3, Run(type, "ReadVolatile"));
    }
}
