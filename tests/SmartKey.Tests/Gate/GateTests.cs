using System.Linq;
using Xunit;

namespace SmartKey.Tests.Gate;

/// <summary>The nanoFramework gate on the real portable assemblies: CI fails when portable code leaves the device's API.</summary>
public class GateTests
{
    internal static readonly string[] ProjectAssemblies = { "SmartKey.Hal", "SmartKey.Firmware" };

    internal static ApiSurface Surface { get; } = ApiSurface.Load(RepoPaths.ApiSurface);

    [Fact]
    public void ApiSurfaceLoads()
    {
        Assert.True(Surface.TypeCount > 600, "api-surface.tsv lists " + Surface.TypeCount + " types");
        Assert.True(Surface.HasMember("System.String", ApiSurface.MethodKey("Substring(System.Int32)", "System.String")));
        // Resolved through the base type: Object.GetHashCode on an ArrayList.
        Assert.True(Surface.HasMember("System.Collections.ArrayList", ApiSurface.MethodKey("GetHashCode()", "System.Int32")));
    }

    [Theory]
    [InlineData(typeof(SmartKey.Hal.HalBundle))]
    [InlineData(typeof(SmartKey.Firmware.Boot.SmartKeyDevice))]
    public void PortableAssemblyKeepsToTheNanoFrameworkApi(System.Type anyTypeOfAssembly)
    {
        var gate = new PortableGate(Surface, ProjectAssemblies);
        var violations = gate.Check(anyTypeOfAssembly.Assembly.Location);
        Assert.True(violations.Count == 0, "nanoFramework gate:\n" + string.Join("\n", violations.Select(v => "  " + v)));
    }
}
