using System;
using System.Collections.Generic;
using System.IO;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace SmartKey.Benchmarks.IlMeter;

/// <summary>
/// Rewrites a copy of a portable assembly so that it counts the IL opcodes it executes: every basic block
/// starts with <c>Counter.Executed += n</c>, n being the block's opcode count (a call counts as one opcode,
/// whatever it calls: what lies outside the instrumented assemblies is native to the meter). The device
/// interprets the same IL, one dispatch per opcode, so this is the interpreter's work. Internal: the host tests
/// compile this file too (tests/SmartKey.Tests/Tools/IlMeterTests.cs checks it on hand-counted methods).
/// </summary>
internal static class BasicBlockInstrumenter
{
    public const string CounterTypeName = "SmartKeyIlMeter.Counter";
    public const string CounterFieldName = "Executed";

    public static byte[] Instrument(string assemblyPath)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(assemblyPath)!);
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = false });
        ModuleDefinition module = assembly.MainModule;
        FieldDefinition counter = AddCounter(module);
        foreach (TypeDefinition type in module.GetTypes())
        {
            if (type.FullName == CounterTypeName) continue;
            foreach (MethodDefinition method in type.Methods)
            {
                if (method.HasBody) InstrumentMethod(method, counter);
            }
        }

        var output = new MemoryStream();
        assembly.Write(output);
        return output.ToArray();
    }

    private static FieldDefinition AddCounter(ModuleDefinition module)
    {
        var type = new TypeDefinition("SmartKeyIlMeter", "Counter",
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class,
            module.TypeSystem.Object);
        var field = new FieldDefinition(CounterFieldName, FieldAttributes.Public | FieldAttributes.Static, module.TypeSystem.Int64);
        type.Fields.Add(field);
        module.Types.Add(type);
        return field;
    }

    /// <summary>Splits the body into basic blocks and prefixes each with its counter increment.</summary>
    public static void InstrumentMethod(MethodDefinition method, FieldReference counter)
    {
        MethodBody body = method.Body;
        // Long branch forms: the inserted code would push short offsets out of range.
        body.SimplifyMacros();
        var instructions = body.Instructions;
        var leaders = new HashSet<Instruction> { instructions[0] };
        for (int i = 0; i < instructions.Count; i++)
        {
            Instruction instruction = instructions[i];
            if (instruction.Operand is Instruction target) leaders.Add(target);
            if (instruction.Operand is Instruction[] targets) foreach (Instruction t in targets) leaders.Add(t);
            if (EndsBlock(instruction) && i + 1 < instructions.Count) leaders.Add(instructions[i + 1]);
        }

        foreach (ExceptionHandler handler in body.ExceptionHandlers)
        {
            leaders.Add(handler.TryStart);
            leaders.Add(handler.HandlerStart);
            if (handler.TryEnd != null) leaders.Add(handler.TryEnd);
            if (handler.HandlerEnd != null) leaders.Add(handler.HandlerEnd);
            if (handler.FilterStart != null) leaders.Add(handler.FilterStart);
        }

        // Block sizes in the original order, before anything moves.
        var blocks = new List<(Instruction Leader, int Count)>();
        for (int i = 0; i < instructions.Count; i++)
        {
            if (!leaders.Contains(instructions[i])) continue;
            int j = i + 1;
            while (j < instructions.Count && !leaders.Contains(instructions[j])) j++;
            blocks.Add((instructions[i], CountOpcodes(instructions, i, j)));
        }

        ILProcessor il = body.GetILProcessor();
        foreach (var (leader, count) in blocks)
        {
            // The leader itself becomes the first instruction of the increment, so every branch, switch and
            // exception-handler boundary that pointed at the block now enters through its counter.
            Instruction original = Instruction.Create(OpCodes.Nop);
            original.OpCode = leader.OpCode;
            original.Operand = leader.Operand;
            leader.OpCode = OpCodes.Ldsfld;
            leader.Operand = counter;
            Instruction load = Instruction.Create(OpCodes.Ldc_I8, (long)count);
            Instruction add = Instruction.Create(OpCodes.Add);
            Instruction store = Instruction.Create(OpCodes.Stsfld, counter);
            il.InsertAfter(leader, load);
            il.InsertAfter(load, add);
            il.InsertAfter(add, store);
            il.InsertAfter(store, original);
        }

        body.OptimizeMacros();
    }

    /// <summary>Opcodes of instructions [from, to). A prefix (constrained., volatile., …) is decoded with the opcode it modifies: one dispatch.</summary>
    private static int CountOpcodes(IList<Instruction> instructions, int from, int to)
    {
        int count = 0;
        for (int k = from; k < to; k++)
        {
            if (instructions[k].OpCode.OpCodeType != OpCodeType.Prefix) count++;
        }

        return count;
    }

    private static bool EndsBlock(Instruction instruction)
    {
        switch (instruction.OpCode.FlowControl)
        {
            case FlowControl.Branch:
            case FlowControl.Cond_Branch:
            case FlowControl.Return:
            case FlowControl.Throw:
                return true;
            default:
                return instruction.OpCode.Code == Code.Endfinally || instruction.OpCode.Code == Code.Leave || instruction.OpCode.Code == Code.Endfilter;
        }
    }
}
