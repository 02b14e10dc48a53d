using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace SmartKey.Tests.DeviceLane;

/// <summary>The device projects as the lane builds them: the sources each .nfproj lists, in its order.</summary>
public static class DeviceProjects
{
    public const string Hal = "hal/Interfaces/SmartKey.Hal.nfproj";
    public const string Firmware = "firmware/SmartKey.Firmware.nfproj";
    public const string Tests = "tests/NFUnitTest/NFUnitTest.nfproj";

    /// <summary>The nanoFramework libraries (toolkit refs/) the portable core and the on-target tests compile against.</summary>
    public static readonly string[] CoreLibraries = { "nanoFramework.System.Collections.dll", "nanoFramework.System.Text.dll", "System.Threading.dll" };

    public static readonly string[] TestLibraries = { "nanoFramework.TestFramework.dll", "nanoFramework.System.Security.Cryptography.dll" };

    /// <summary>Full paths of the .cs files the project lists (Compile Include), as the device build takes them.</summary>
    public static IReadOnlyList<string> Sources(string project)
    {
        string path = Path.Combine(RepoPaths.Root, project);
        string dir = Path.GetDirectoryName(path)!;
        return XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => e.Attribute("Include")?.Value)
            .Where(v => !string.IsNullOrEmpty(v))
            .Select(v => Path.GetFullPath(Path.Combine(dir, v!.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList();
    }
}
