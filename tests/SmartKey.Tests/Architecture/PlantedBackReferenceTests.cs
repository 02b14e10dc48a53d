using System.Linq;
using SmartKey.Tests.Gate;
using Xunit;

namespace SmartKey.Tests.Architecture;

/// <summary>Proves the room test can fail: snippets compiled with Roslyn plant references the table forbids.</summary>
public class PlantedBackReferenceTests
{
    private static readonly string FirmwareAssembly = typeof(SmartKey.Firmware.Boot.SmartKeyDevice).Assembly.Location;
    private static readonly string HalAssembly = typeof(SmartKey.Hal.HalBundle).Assembly.Location;

    private static System.Collections.Generic.IReadOnlyList<string> Check(string source) =>
        RoomGate.Violations(RoomGraphTests.Table, SnippetCompiler.Compile(source, "Planted", FirmwareAssembly, HalAssembly));

    [Fact]
    public void StorageReachingBackIntoTheDeviceIsCaught()
    {
        var violations = Check("namespace SmartKey.Firmware.Storage { public class Culprit { public object F(SmartKey.Firmware.Boot.SmartKeyDevice device) { return device.Store; } } }");
        Assert.Contains("room Storage may not use room Boot: SmartKey.Firmware.Storage.Culprit references SmartKey.Firmware.Boot.SmartKeyDevice", violations);
    }

    [Fact]
    public void CommandsReachingUpIntoTheSessionIsCaught()
    {
        // Only a method body uses it: found through the IL operand, not a signature.
        var violations = Check("namespace SmartKey.Firmware.Commands { public class Culprit { public int F() { return SmartKey.Firmware.Session.DeviceSessionManager.CommandExpiryMs + new SmartKey.Firmware.Session.AuthBackoff().GetHashCode(); } } }");
        Assert.Contains(violations, v => v.StartsWith("room Commands may not use room Session: SmartKey.Firmware.Commands.Culprit references SmartKey.Firmware.Session.AuthBackoff"));
    }

    [Fact]
    public void AllowedReferencePasses()
    {
        var violations = Check("namespace SmartKey.Firmware.Storage { public class Culprit { public int F(RecordStore store) { return SmartKey.Firmware.Crypto.Bytes.ReadUInt16LittleEndian(new byte[2], 0); } } }");
        Assert.Empty(violations);
    }

    [Fact]
    public void UnknownRoomIsCaught()
    {
        var violations = Check("namespace SmartKey.Firmware.Gadgets { public class Culprit { } }");
        Assert.Contains("room Gadgets (namespace SmartKey.Firmware.Gadgets) is not in firmware/rooms.tsv", violations);
    }

    [Fact]
    public void CycleInTheTableIsCaught()
    {
        var table = RoomTable.Parse("Text\t-\tletters\nStorage\tCrypto\tflash\nCrypto\tText Storage\tmaths\n");
        Assert.Equal("Storage -> Crypto -> Storage", table.FindCycle());
        Assert.Null(RoomTable.Parse("Text\t-\tletters\nCrypto\tText\tmaths\n").FindCycle());
    }
}
