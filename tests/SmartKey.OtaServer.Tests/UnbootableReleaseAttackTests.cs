using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using SmartKey.Ota;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Fixtures;
using Xunit;

namespace SmartKey.OtaServer.Tests;

/// <summary>
/// Issue 21 item 6: a signed image whose header asks MCUboot for something the lock cannot do (compression, ROM_FIXED,
/// a flag defined later) must not become a release: the upload runs the lock's verifier, whose flags are an allow-list.
/// </summary>
public abstract class UnbootableReleaseAttackTests
{
    private readonly Backend _backend;

    protected UnbootableReleaseAttackTests(Backend backend) => _backend = backend;

    private static HttpResponseMessage Upload(HttpClient http, byte[] image)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return http.PostAsync("/api/releases", content).GetAwaiter().GetResult();
    }

    private static string Error(HttpResponseMessage r) => JsonDocument.Parse(r.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("detail").GetString()!;

    private static string Vector(string file)
    {
        var dir = new DirectoryInfo(System.AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SmartKey.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "tests", "vectors", "mcuboot", file);
    }

    [Fact]
    public void ACompressedOrRomFixedImageSignedByTheVendorIsRefusedAtUploadWithItsFlagsNamed()
    {
        using var lab = new ServerLab(_backend);
        using var http = lab.Http();
        var cases = new (byte[] image, string reason)[]
        {
            (ImageSigner.Sign(TestKeys.Payload("1.1.0", 3000, false), "1.1.0", 3, TestKeys.Hardware, TestKeys.Vendor, flags: 0x400),
                "unsupported image flags 0x400 (COMPRESSED_LZMA2)"),
            (ImageSigner.Sign(TestKeys.Payload("1.1.0", 3000, false), "1.1.0", 3, TestKeys.Hardware, TestKeys.Vendor, flags: 0x200), "unsupported image flags 0x200 (COMPRESSED_LZMA1)"),
            (ImageSigner.Sign(TestKeys.Payload("1.1.0", 3000, false), "1.1.0", 3, TestKeys.Hardware, TestKeys.Vendor, flags: 0x100), "unsupported image flags 0x100 (ROM_FIXED)"),
            (ImageSigner.Sign(TestKeys.Payload("1.1.0", 3000, false), "1.1.0", 3, TestKeys.Hardware, TestKeys.Vendor, flags: 0x10000), "unsupported image flags 0x10000 (unknown 0x10000)"),
            (File.ReadAllBytes(Vector("compressed-lzma2.bin")), "unsupported image flags 0x400 (COMPRESSED_LZMA2)"),       // imgtool's own
        };
        foreach (var (image, reason) in cases)
        {
            var r = Upload(http, image);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            Assert.StartsWith(reason, Error(r));
        }

        Assert.Equal(cases.Length, lab.Core.Counters.Get(Counters.UploadRefused));
        Assert.Empty(lab.Core.Releases.List());
        Assert.Equal(HttpStatusCode.Created, Upload(http, TestKeys.Image("1.1.0", counter: 3)).StatusCode);   // the same release without flags
    }
}

public sealed class SqliteUnbootableReleaseAttackTests : UnbootableReleaseAttackTests
{
    public SqliteUnbootableReleaseAttackTests() : base(new SqliteBackend()) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresUnbootableReleaseAttackTests : UnbootableReleaseAttackTests
{
    public PostgresUnbootableReleaseAttackTests(PostgresServer server) : base(new PostgresBackend(server)) { }
}
