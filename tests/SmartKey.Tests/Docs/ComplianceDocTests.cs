using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace SmartKey.Tests.Docs;

/// <summary>docs/compliance.md names the tests that show each provision: every name must be a test class (and method) in tests/.</summary>
public sealed class ComplianceDocTests
{
    [Fact]
    public void EveryTestTheComplianceMapNamesExists()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "compliance.md"));
        var named = Regex.Matches(doc, @"`([A-Z][A-Za-z0-9]*Tests)(?:\.([A-Za-z0-9_]+))?`").Select(m => (type: m.Groups[1].Value, method: m.Groups[2].Value)).Distinct().ToList();
        Assert.True(named.Count >= 30, $"only {named.Count} tests named");
        string sources = string.Join("\n", Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/")).Select(File.ReadAllText));
        foreach (var (type, method) in named)
        {
            var declaration = Regex.Match(sources, @"\bclass " + type + @"\b");
            Assert.True(declaration.Success, $"docs/compliance.md names {type}, which is no test class in tests/");
            if (method.Length > 0)
                Assert.True(Regex.IsMatch(sources, @"public (?:async Task|void) " + method + @"\("), $"docs/compliance.md names {type}.{method}, which is no test method in tests/");
        }

        foreach (string provision in new[] { "5.1 ", "5.2 ", "5.3 ", "5.4 ", "5.5 ", "5.6 ", "5.7 ", "5.8 ", "5.9 ", "5.10 ", "5.11 ", "5.12 ", "5.13 ", "| 6 " })
            Assert.Contains(provision, doc);
    }
}
