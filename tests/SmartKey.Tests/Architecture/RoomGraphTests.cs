using System;
using System.IO;
using System.Linq;
using SmartKey.Tests.Gate;
using Xunit;

namespace SmartKey.Tests.Architecture;

/// <summary>The firmware's rooms depend on each other only as firmware/rooms.tsv allows, and that table has no cycle.</summary>
public class RoomGraphTests
{
    private static readonly Lazy<byte[]> Firmware = new(() => File.ReadAllBytes(typeof(SmartKey.Firmware.Boot.SmartKeyDevice).Assembly.Location));

    internal static RoomTable Table { get; } = RoomTable.Load(RoomTable.DefaultPath);

    [Fact]
    public void FirmwareKeepsToTheRoomTable()
    {
        var violations = RoomGate.Violations(Table, Firmware.Value);
        Assert.True(violations.Count == 0, "room graph (firmware/rooms.tsv):\n" + string.Join("\n", violations.Select(v => "  " + v)));
    }

    [Fact]
    public void RoomTableHasNoCycle()
    {
        string? cycle = Table.FindCycle();
        Assert.True(cycle == null, "firmware/rooms.tsv has a cycle: " + cycle);
    }

    [Fact]
    public void RoomTableAllowsNothingTheCodeDoesNotUse()
    {
        var unused = RoomGate.UnusedPermissions(Table, Firmware.Value);
        Assert.True(unused.Count == 0, string.Join("\n", unused));
    }

    [Fact]
    public void EveryFirmwareFolderIsARoom()
    {
        string firmware = Path.Combine(RepoPaths.Root, "firmware");
        var folders = Directory.GetDirectories(firmware).Select(d => Path.GetFileName(d)).Where(f => f is not ("App" or "bin" or "obj")).Select(f => f!).OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.Equal(folders, Table.Rooms.OrderBy(r => r, StringComparer.Ordinal).ToList());
        Assert.Equal(folders, RoomReferences.Rooms(Firmware.Value).OrderBy(r => r, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void OnlyTheCompositionRootKnowsTheDevice()
    {
        var users = RoomReferences.CrossRoom(Firmware.Value).Where(p => p.Used == "SmartKey.Firmware.Boot.SmartKeyDevice").Select(p => p.User).ToList();
        Assert.Empty(users);
    }

    [Fact]
    public void ArchitectureDocIsDrawnFromTheTable()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));
        const string begin = "<!-- rooms.tsv: begin (generated; RoomGraphTests checks it) -->\n", end = "<!-- rooms.tsv: end -->";
        int from = doc.IndexOf(begin, StringComparison.Ordinal), to = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, "docs/architecture.md lacks the generated section markers");
        string expected = Table.DocSection();
        string actual = doc.Substring(from + begin.Length, to - from - begin.Length);
        if (expected != actual && Environment.GetEnvironmentVariable("SMARTKEY_WRITE_DOCS") == "1")
        {
            File.WriteAllText(Path.Combine(RepoPaths.Root, "docs", "architecture.md"), doc.Substring(0, from + begin.Length) + expected + doc.Substring(to));
            return;
        }

        Assert.True(expected == actual, "docs/architecture.md's room section differs from firmware/rooms.tsv (SMARTKEY_WRITE_DOCS=1 rewrites it); it should read:\n" + expected);
    }
}
