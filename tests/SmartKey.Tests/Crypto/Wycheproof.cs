using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace SmartKey.Tests.Crypto;

/// <summary>One Wycheproof test case with its group's attributes (tests/vectors/wycheproof).</summary>
public sealed record WycheproofCase(int Id, string Result, string[] Flags, JsonElement Test, JsonElement Group)
{
    public string Hex(string field) => Test.GetProperty(field).GetString()!;

    public byte[] Bytes(string field) => Convert.FromHexString(Hex(field));

    public int GroupInt(string field) => Group.GetProperty(field).GetInt32();

    public override string ToString() => $"tcId {Id} ({Result}, {string.Join(",", Flags)})";
}

public static class Wycheproof
{
    public static (int declared, List<WycheproofCase> cases) Load(string file)
    {
        string path = RepoPaths.Vector("wycheproof", file);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement.Clone();
        var cases = new List<WycheproofCase>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var flags = new List<string>();
                foreach (var f in test.GetProperty("flags").EnumerateArray()) flags.Add(f.GetString()!);
                cases.Add(new WycheproofCase(test.GetProperty("tcId").GetInt32(), test.GetProperty("result").GetString()!, flags.ToArray(), test, group));
            }
        }

        return (root.GetProperty("numberOfTests").GetInt32(), cases);
    }
}
