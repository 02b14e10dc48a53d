using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;

namespace SmartKey.Tests.Gate;

/// <summary>
/// The real mscorlib.dll of nanoFramework.CoreLibrary, restored by the test project (PackageDownload) into the NuGet
/// packages folder, at the version every packages.config pins.
/// </summary>
public static class RealMscorlib
{
    public const string PackageId = "nanoFramework.CoreLibrary";
    public const string Version = "1.17.11";

    public static string Path { get; } = Locate();

    /// <summary>The CoreLibrary version the device projects pin (firmware/packages.config).</summary>
    public static string PackageVersion() =>
        XDocument.Load(System.IO.Path.Combine(RepoPaths.Root, "firmware", "packages.config")).Descendants("package")
            .Single(p => p.Attribute("id")!.Value == PackageId).Attribute("version")!.Value;

    private static string Locate()
    {
        string? root = typeof(RealMscorlib).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
        if (string.IsNullOrEmpty(root)) root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(root)) root = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = System.IO.Path.Combine(root, PackageId.ToLowerInvariant(), Version, "lib", "mscorlib.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"the real nanoFramework mscorlib is not restored at {path}: run dotnet restore on tests/SmartKey.Tests (PackageDownload {PackageId} {Version})");
        return path;
    }
}
