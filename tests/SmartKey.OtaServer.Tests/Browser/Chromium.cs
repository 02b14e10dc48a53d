using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace SmartKey.OtaServer.Tests.Browser;

/// <summary>
/// A real headless browser for page tests: Playwright's driver (from the Microsoft.Playwright package) drives
/// Debian's chromium (`.ci/run` installs it). Playwright's own browser download is never used.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static string Executable =>
        Environment.GetEnvironmentVariable("SMARTKEY_CHROMIUM") is { Length: > 0 } path ? path
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new InvalidOperationException("chromium is not installed: apt-get install -y chromium (.ci/run does it)");

    public static async Task<Chromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // The tests run as root in CI containers, where chromium's sandbox cannot start.
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage" },
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>Where screenshots are kept as test artifacts: TestResults/ at the repository root.</summary>
    public static string ArtifactPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SmartKey.sln"))) dir = dir.Parent;
        string root = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(root);
        return Path.Combine(root, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
