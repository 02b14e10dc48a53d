using System;
using System.IO;

namespace SmartKey.Tests;

/// <summary>The repository root (where SmartKey.sln is) and ../shared beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string ApiSurface => Path.Combine(Shared, "nanoframework", "api-surface.tsv");

    public static string TestVectors => Path.Combine(Shared, "test-vectors");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SmartKey.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SmartKey.sln not found above " + AppContext.BaseDirectory);
    }
}
