using System;
using System.IO;
using System.Linq;
using SmartKey.Fuzz;
using Xunit;

namespace SmartKey.Tests.Protocol;

/// <summary>
/// The coverage-guided fuzz targets (tools/SmartKey.Fuzz) in the test run: the checked-in seeds are what
/// `smartkey-fuzz seeds` writes and every target takes them; every input afl++ once crashed a target with
/// lives in tools/fuzz/regressions/&lt;target&gt;/ and must now pass.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly IFuzzTarget[] Targets = { new LinkTarget(), new HandshakeTarget(), new CommandTarget(), new OtaImageTarget(), new ConfigTarget() };

    private static string Folder(params string[] parts) => Path.Combine(new[] { RepoPaths.Root, "tools", "fuzz" }.Concat(parts).ToArray());

    [Fact]
    public void TheCheckedInSeedsAreTheGeneratorsAndEveryTargetTakesThem()
    {
        var generated = Seeds.All().ToList();
        Assert.Equal(20, generated.Count);
        foreach (var (target, name, bytes) in generated)
        {
            string path = Folder("seeds", target, name);
            if (target == "ota") continue;   // ECDSA signatures (and so image sizes) differ run to run: the image is checked below by verifying it
            Assert.True(File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes),
                $"{path} differs from the generator: run 'dotnet run --project tools/SmartKey.Fuzz -- seeds tools/fuzz/seeds'");
            Targets.Single(t => t.Name == target).Run(File.ReadAllBytes(path));
        }

        Assert.Equal(generated.Count, Directory.GetFiles(Folder("seeds"), "*", SearchOption.AllDirectories).Length);
        Assert.Equal(Targets.Select(t => t.Name).OrderBy(n => n), Directory.GetDirectories(Folder("seeds")).Select(Path.GetFileName).OrderBy(n => n));
    }

    [Fact]
    public void TheOtaSeedIsAValidImageSoTheFuzzerStartsPastTheSignature()
    {
        byte[] image = File.ReadAllBytes(Folder("seeds", "ota", "signed-image"));
        Assert.Equal(SmartKey.Firmware.Ota.OtaError.None, SmartKey.Firmware.Ota.ImageHeader.TryParse(image, 0, image.Length, 1 << 20, out var header));
        byte[] trailer = image[(header.HeaderSize + header.ImageSize)..];
        using var key = OtaImageTarget.Key();
        var error = new SmartKey.Firmware.Ota.ImageVerifier().Verify(header, System.Security.Cryptography.SHA256.HashData(image.AsSpan(0, header.HashedLength)), trailer, trailer.Length,
            new[] { SmartKey.Ota.ImageSigner.PublicPoint(key) }, OtaImageTarget.HardwareId, 0, "0.0.0");
        Assert.Equal(SmartKey.Firmware.Ota.OtaError.None, error);
    }

    [Fact]
    public void EveryInputThatOnceCrashedATargetNowPasses()
    {
        int replayed = 0;
        foreach (string folder in Directory.GetDirectories(Folder("regressions")))
        {
            var target = Targets.Single(t => t.Name == Path.GetFileName(folder));
            foreach (string file in Directory.GetFiles(folder).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
            {
                target.Run(File.ReadAllBytes(file));
                replayed++;
            }
        }

        Assert.Equal(Directory.GetFiles(Folder("regressions"), "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".md", StringComparison.Ordinal)), replayed);
    }
}
