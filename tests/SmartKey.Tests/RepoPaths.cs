using System;
using System.IO;

namespace SmartKey.Tests;

/// <summary>
/// The repository root (where SmartKey.sln is) and the data the tests read from it. Everything a test reads lives in
/// the repository, so a clone passes on its own: test vectors under tests/vectors, the nanoFramework API list and
/// package table under nanoframework/.
/// </summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string NanoFramework => Path.Combine(Root, "nanoframework");

    public static string ApiSurface => Path.Combine(NanoFramework, "api-surface.tsv");

    public static string TestVectors => Path.Combine(Root, "tests", "vectors");

    /// <summary>A file under tests/vectors, e.g. Vector("mcuboot", "plain.bin").</summary>
    public static string Vector(string set, string file) => Path.Combine(TestVectors, set, file);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SmartKey.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SmartKey.sln not found above " + AppContext.BaseDirectory);
    }
}
