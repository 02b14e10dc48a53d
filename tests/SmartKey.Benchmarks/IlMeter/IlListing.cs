using System;
using System.IO;
using System.Linq;
using Mono.Cecil;

namespace SmartKey.Benchmarks.IlMeter;

/// <summary>`-- il-list Type Method`: the opcodes of one portable method by kind (where an optimisation's IL goes).</summary>
public static class IlListing
{
    public static void Print(string typeName, string methodName)
    {
        foreach (string name in MeteredLoadContext.Portable)
        {
            using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
            foreach (var method in module.GetTypes().Where(t => t.FullName == typeName).SelectMany(t => t.Methods).Where(m => m.Name == methodName && m.HasBody))
            {
                Console.WriteLine(method.FullName + ": " + method.Body.Instructions.Count + " opcodes, " + method.Body.Variables.Count + " locals");
                foreach (var group in method.Body.Instructions.GroupBy(i => i.OpCode.Name).OrderByDescending(g => g.Count()))
                    Console.WriteLine("  " + group.Key + " " + group.Count());
            }
        }
    }
}
