using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace SmartKey.Tests.Docs;

/// <summary>docs/crypto.md and docs/ota.md quote what the code measures (the counters are process-wide: run alone).</summary>
[Collection(SmartKey.Tests.Crypto.CryptoCounterCollection.Name)]
public class DocFiguresTests
{
    [Fact]
    public void EveryFigureTheDocsQuoteIsWhatTheCodeGives()
    {
        var figures = DocFigures.All();
        Assert.Equal(12, figures.Count);
        foreach (var f in figures)
        {
            string text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", f.Doc));
            var match = new Regex(f.Pattern, RegexOptions.Multiline).Match(text);
            Assert.True(match.Success, $"docs/{f.Doc} has no place for /{f.Pattern}/");
            Assert.True(match.Groups[1].Value == f.Value,
                $"docs/{f.Doc} says {match.Groups[1].Value} where the code gives {f.Value} (/{f.Pattern}/): run '{DocFigures.Regenerate}'");
        }
    }

    [Fact]
    public void TheGeneratorWritesEachFigureInItsPlaceAndNothingElse()
    {
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "ota.md"));
        string stale = Regex.Replace(doc, @"([0-9,]+) SHA-256 compressions", "1 SHA-256 compressions");
        string written = DocFigures.Rewrite("ota.md", stale);
        Assert.Equal(DocFigures.Rewrite("ota.md", doc), written);
        Assert.Equal(stale.Length - 1 + DocFigures.All().First(f => f.Pattern.Contains("SHA-256 compressions")).Value.Length, written.Length);
    }
}
