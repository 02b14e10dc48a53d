using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using SmartKey.Cli;
using SmartKey.Simulator;
using SmartKey.Simulator.Serve;
using Xunit;
using static SmartKey.Tests.Tools.ToolProcess;

namespace SmartKey.Tests.Tools;

/// <summary>
/// Every case where a tool used to print a stack trace or a wrong reason (issue 16, part 4): one line
/// saying what is wrong and what to do, exit 2 for usage, 1 for refusals. The tools run as processes
/// from their own entry points; locks are real `serve` link servers on 127.0.0.1.
/// </summary>
public sealed class ToolErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartkey-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class RunningLock : IDisposable
    {
        public RunningLock(string serial, string code)
        {
            Device = new SimulatedDevice(EmbeddedConfig.Load(), 7);
            var gate = new object();
            lock (gate)
            {
                Device.Boot();
                var (w0, l) = SmartKey.Phone.SetupCode.Verifier(code, serial);
                Device.Core.Identity.Provision(new SmartKey.Firmware.Identity.DeviceIdentity { Serial = serial, W0 = w0, L = l, OtaTrustKeys = new[] { l } });
            }

            Link = new LinkServer(Device, 0, gate);
        }

        public SimulatedDevice Device { get; }

        public LinkServer Link { get; }

        public void Dispose() => Link.Dispose();
    }

    private (int exit, string output, string error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static Result AsResult((int exit, string output, string error) r) => new(r.exit, r.output, r.error);

    [Fact]
    public void PairWithAMalformedSetupCodeSaysWhatASetupCodeIs()
    {
        var result = Run("smartkey", _dir, "pair", "--lock", "SK-1", "--code", "123", "--wallet", Path.Combine(_dir, "w.json"), "--port", "1");
        AssertOneLine(result, 2, "'123' is not a setup code", "8 to 32 digits", "label");
        Assert.False(File.Exists(Path.Combine(_dir, "w.json")));
    }

    [Fact]
    public void ASecondServeOnATakenPortSaysSoAndHowToChooseAnother()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        try
        {
            var result = Run("smartkey-sim", _dir, "serve", "--port", port.ToString());
            AssertOneLine(result, 2, $"port {port}", "taken", "--port");
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public void ServeWithAMalformedSetupCodeSaysWhatASetupCodeIs()
    {
        AssertOneLine(Run("smartkey-sim", _dir, "serve", "--provision-serial", "SK-1", "--setup-code", "123", "--port", "0"), 2, "'123' is not a setup code", "--setup-code");
        AssertOneLine(Run("smartkey-sim", _dir, "serve", "--setup-code", "2468013579", "--port", "0"), 2, "--provision-serial");
    }

    [Fact]
    public void AMissingConfigFileIsNamed()
    {
        AssertOneLine(Run("smartkey-sim", _dir, "--config", "missing.config"), 2, "missing.config", "--config");
        AssertOneLine(Run("smartkey-sim", _dir, "serve", "--config", "missing.config", "--port", "0"), 2, "missing.config");
    }

    [Fact]
    public void AMalformedConfigFileNamesTheLineAndTheFault()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.config"), "# a comment\ngarbage = =\n");
        AssertOneLine(Run("smartkey-sim", _dir, "--config", "bad.config"), 2, "bad.config line 2", "[section]");
    }

    [Fact]
    public void AFlashImageOfTheWrongSizeIsRefusedAndLeftAsItWas()
    {
        string image = Path.Combine(_dir, "small.img");
        File.WriteAllBytes(image, new byte[1000]);
        var result = Run("smartkey-sim", _dir, "serve", "--flash", "small.img", "--port", "0");
        AssertOneLine(result, 2, "small.img holds 1000 bytes", "262144", "new file name");
        Assert.Equal(new byte[1000], File.ReadAllBytes(image));
    }

    [Fact]
    public void RevokingAKeyTheLockDoesNotHaveNamesTheKeyNotThePhone()
    {
        using var lockA = new RunningLock("SK-A", "5038261749");
        string wallet = Path.Combine(_dir, "w.json");
        string[] at = { "--port", lockA.Link.Port.ToString(), "--wallet", wallet };
        Assert.Equal(0, Cli(["pair", "--lock", "SK-A", "--code", "5038261749", .. at]).exit);
        string before = Cli(["keys", "list", .. at]).output;

        var nine = AsResult(Cli(["keys", "revoke", "9", .. at]));
        AssertOneLine(nine, 1, "lock SK-A has no key #9", "keys list");
        Assert.DoesNotContain("this phone", nine.Error);
        AssertOneLine(AsResult(Cli(["keys", "revoke", "300", .. at])), 2, "300", "1..255");
        Assert.Equal(before, Cli(["keys", "list", .. at]).output);
        Assert.Equal(0, Cli(["unlock", .. at]).exit);                   // the owner's key still works
    }

    [Fact]
    public void AKeySentToAnotherLockSaysWhereItWentNotThatItWasRevoked()
    {
        using var lockA = new RunningLock("SK-A", "5038261749");
        using var lockB = new RunningLock("SK-B", "7261038495");
        string wallet = Path.Combine(_dir, "w.json");
        Assert.Equal(0, Cli("pair", "--lock", "SK-A", "--code", "5038261749", "--port", lockA.Link.Port.ToString(), "--wallet", wallet).exit);
        Assert.Equal(0, Cli("pair", "--lock", "SK-B", "--code", "7261038495", "--port", lockB.Link.Port.ToString(), "--wallet", wallet).exit);

        var wrong = AsResult(Cli("--serial", "SK-B", "--port", lockA.Link.Port.ToString(), "--wallet", wallet, "unlock"));
        AssertOneLine(wrong, 1, $"the lock at 127.0.0.1:{lockA.Link.Port}", "key #1 of SK-B", "another lock", "--port");
        Assert.Equal(SmartKey.Firmware.Lock.LockState.Locked, lockA.Device.Core.Lock.State);
        Assert.Equal(0, Cli("--serial", "SK-B", "--port", lockB.Link.Port.ToString(), "--wallet", wallet, "unlock").exit);
    }

    [Fact]
    public void NoLockListeningSaysHowToStartOne()
    {
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        int port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        File.WriteAllText(Path.Combine(_dir, "w.json"), "[{\"Serial\":\"SK-A\",\"BindingId\":1,\"Role\":1,\"Key\":\"" + new string('0', 64) + "\"}]");
        AssertOneLine(Run("smartkey", _dir, "unlock", "--wallet", "w.json", "--port", port.ToString()), 1, $"127.0.0.1:{port}", "smartkey-sim serve");
    }

    [Fact]
    public void AWalletThatIsNotOneIsNamedAndLeftAlone()
    {
        File.WriteAllText(Path.Combine(_dir, "w.json"), "{bad");
        AssertOneLine(Run("smartkey", _dir, "unlock", "--wallet", "w.json", "--port", "1"), 2, "w.json is not a SmartKey wallet", "--wallet");
        Assert.Equal("{bad", File.ReadAllText(Path.Combine(_dir, "w.json")));
    }

    [Theory]
    [InlineData("smartkey", "'abc' is not a whole number, as --port needs", new[] { "unlock", "--port", "abc" })]
    [InlineData("smartkey", "'abc' is not a whole number, as <id> needs", new[] { "keys", "revoke", "abc" })]
    [InlineData("smartkey", "'yesterday' is not a date and time", new[] { "keys", "add-guest", "--from", "yesterday" })]
    [InlineData("smartkey-sim", "'x' is not a whole number ≥ 0, as --seed needs", new[] { "demo", "--seed", "x" })]
    [InlineData("smartkey-sim", "'p' is not a whole number, as --port needs", new[] { "serve", "--port", "p" })]
    [InlineData("smartkey-ota", "'-1' is not a whole number ≥ 0, as --security-counter needs", new[] { "sign", "in", "out", "--key", "k", "--version", "1.0.0", "--hardware-id", "h", "--security-counter", "-1" })]
    [InlineData("smartkey-ota", "'many' is not a whole number ≥ 0, as --stored-counter needs", new[] { "verify", "img", "--key", "k", "--hardware-id", "h", "--stored-counter", "many" })]
    public void AValueThatDoesNotConvertNamesTheKindOfValueNotADotNetType(string tool, string says, string[] args)
    {
        var result = Run(tool, _dir, args);
        AssertOneLine(result, 2, says, "--help");
        Assert.DoesNotContain("Int32", result.Error + result.Output);
    }

    [Theory]
    [InlineData("smartkey")]
    [InlineData("smartkey-sim")]
    [InlineData("smartkey-ota")]
    [InlineData("smartkey-tech")]
    public void AnUnknownCommandIsAUsageErrorOfOneLine(string tool)
    {
        AssertOneLine(Run(tool, _dir, "frobnicate"), 2, "'frobnicate' is not a command or option", "--help");
    }

    [Fact]
    public void OtaAndTechnicianNameAMissingFile()
    {
        AssertOneLine(Run("smartkey-ota", _dir, "inspect", "nothing.img"), 2, "nothing.img");
        AssertOneLine(Run("smartkey-tech", _dir, "provision", "--serial", "SK-3", "--ota-key", "nope.pem", "--out", "kit", "--ca", "factory-ca", "--broker-ca", "broker-ca.pem"), 2, "nope.pem");
        Assert.False(Directory.Exists(Path.Combine(_dir, "kit")));
    }

    [Fact]
    public void ProvisionOutsideTheRepositoryNamesTheNfConfigOption()
    {
        using (var vendor = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
            File.WriteAllText(Path.Combine(_dir, "vendor.pub.pem"), vendor.ExportSubjectPublicKeyInfoPem());
        var result = Run("smartkey-tech", _dir, "provision", "--serial", "SK-3", "--ota-key", "vendor.pub.pem", "--out", "kit", "--ca", "factory-ca", "--broker-ca", "broker-ca.pem");
        AssertOneLine(result, 2, "nf.config: there is no such file", "--nf-config");
        Assert.False(Directory.Exists(Path.Combine(_dir, "kit")));
    }

    [Fact]
    public void AMissingRequiredOptionIsNamed()
    {
        AssertOneLine(Run("smartkey-tech", _dir, "provision", "--serial", "SK-3"), 2, "--ota-key", "--help");
    }
}
