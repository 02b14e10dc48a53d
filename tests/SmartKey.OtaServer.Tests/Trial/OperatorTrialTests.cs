using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace SmartKey.OtaServer.Tests.Trial;

/// <summary>
/// The operator's first hour (issue 26, items 2 and 3): the doc's trial, run as written (OperatorTrial), and the five
/// installed tools run from a temporary working directory, each resolving relative paths against it. Long: it packs
/// and installs the tools (about a minute on the Debug build) and runs a simulated rollout (about a minute).
/// </summary>
[Trait("Category", "Install")]
public sealed class OperatorTrialTests : IClassFixture<OperatorTrial>
{
    private readonly OperatorTrial _trial;

    public OperatorTrialTests(OperatorTrial trial) => _trial = trial;

    private string Says => "\n--- the trial's output ---\n" + _trial.Output;

    [Fact]
    public void TheDocsTrialRunsToTheEndAndTakesEveryLockToTheRelease()
    {
        Assert.True(_trial.Blocks.Count >= 6, "the trial section should hold its steps as sh blocks" + Says);
        Assert.True(_trial.Exit == 0, $"the trial exited {_trial.Exit}" + Says);
        foreach (string tool in new[] { "smartkey", "smartkey-sim", "smartkey-ota", "smartkey-tech", "smartkey-ota-server" })
            Assert.True(File.Exists(Path.Combine(_trial.ToolPath, tool)), tool + " was not installed" + Says);

        // The start-up line names the status page; the server's files are in the trial folder, where it was started.
        Assert.Contains($"status page http://127.0.0.1:{_trial.ApiPort}/status", _trial.Output);
        Assert.True(File.Exists(Path.Combine(_trial.TrialFolder, "ota-server", "ota.db")), "the database is not in the folder the server ran in" + Says);
        Assert.Contains(Path.Combine(_trial.TrialFolder, "ota-server", "ota.db"), _trial.Output);

        using var records = JsonDocument.Parse(File.ReadAllText(Path.Combine(_trial.TrialFolder, "records.json")));
        Assert.Equal(20, records.RootElement.GetArrayLength());
        Assert.Contains("records.json: 20 records admitted", _trial.Output);
        Assert.Contains("\"state\": \"completed\"", _trial.Output);

        string fleet = File.ReadAllText(Path.Combine(_trial.TrialFolder, "fleet.log"));
        Assert.Contains("  running 1.1.0: 20", fleet);
        Assert.Contains("fleet: day ", fleet);                                  // progress while it ran
        Assert.True(File.Exists(Path.Combine(_trial.TrialFolder, "SK-SIM-000001.json")));
        Assert.Contains("erased SK-SIM-000001", _trial.Output);
    }

    [Fact]
    public void EveryInstalledToolResolvesRelativePathsAgainstTheCallersDirectory()
    {
        Assert.True(_trial.Exit == 0, "the trial did not install the tools" + Says);
        string here = System.IO.Directory.CreateDirectory(Path.Combine(_trial.Directory, "elsewhere")).FullName;

        // smartkey: the wallet named relative to the caller is the one read.
        File.WriteAllText(Path.Combine(here, "w.json"), "{bad");
        var (exit, output) = _trial.Tool(here, null, "smartkey", "unlock", "--wallet", "w.json", "--port", "1");
        Assert.True(exit == 2 && output.Contains("w.json is not a SmartKey wallet"), output);

        // smartkey-sim: --config, and the same file through $SMARTKEY_NF_CONFIG.
        File.WriteAllText(Path.Combine(here, "bad.config"), "# a comment\ngarbage = =\n");
        (exit, output) = _trial.Tool(here, null, "smartkey-sim", "--config", "bad.config");
        Assert.True(exit == 2 && output.Contains("bad.config line 2"), output);
        (exit, output) = _trial.Tool(here, new Dictionary<string, string> { ["SMARTKEY_NF_CONFIG"] = "bad.config" }, "smartkey-sim");
        Assert.True(exit == 2 && output.Contains("bad.config line 2"), output);

        // smartkey-ota: the key is written where the caller is.
        (exit, output) = _trial.Tool(here, null, "smartkey-ota", "keygen", "--key", "vendor.pem");
        Assert.True(exit == 0 && File.Exists(Path.Combine(here, "vendor.pub.pem")), output);

        // smartkey-tech: the CA and the kit where the caller is; nf.config from the caller's folder, the variable or --nf-config.
        (exit, output) = _trial.Tool(here, null, "smartkey-tech", "ca", "init", "--out", "factory-ca");
        Assert.True(exit == 0 && File.Exists(Path.Combine(here, "factory-ca", "ca.cert.pem")), output);
        string[] provision = { "smartkey-tech", "provision", "--serial", "SK-7", "--ota-key", "vendor.pub.pem", "--ca", "factory-ca", "--broker-ca", "factory-ca/ca.cert.pem", "--out", "kit" };
        (exit, output) = _trial.Tool(here, null, provision);
        Assert.True(exit == 2 && output.Contains("--nf-config") && output.Contains(Path.Combine(here, "nf.config")) && output.Contains("SMARTKEY_NF_CONFIG"), output);
        Assert.False(System.IO.Directory.Exists(Path.Combine(here, "kit")));
        File.Copy(Path.Combine(_trial.Repository, "nf.config"), Path.Combine(here, "device.config"));
        (exit, output) = _trial.Tool(here, new Dictionary<string, string> { ["SMARTKEY_NF_CONFIG"] = "device.config" }, provision);
        Assert.True(exit == 0 && File.Exists(Path.Combine(here, "kit", "manufacturing.json")), output);

        // smartkey-ota-server: the image to upload is looked for in the caller's folder (here it is missing; no server is asked).
        (exit, output) = _trial.Tool(here, null, "smartkey-ota-server", "release", "add", "fw-9.img", "--server", "http://127.0.0.1:1");
        Assert.True(exit == 2 && output.Contains(Path.Combine(here, "fw-9.img")), output);
    }
}
