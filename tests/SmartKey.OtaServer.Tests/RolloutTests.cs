using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Dapper;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Fixtures;
using SmartKey.OtaServer.Tests.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace SmartKey.OtaServer.Tests;

/// <summary>Staged rollouts over simulated locks running the real firmware, through a real broker, on one backend.</summary>
public abstract class RolloutTests
{
    private readonly Backend _backend;
    private readonly ITestOutputHelper _output;

    protected RolloutTests(Backend backend, ITestOutputHelper output)
    {
        _backend = backend;
        _output = output;
    }

    private static RolloutRequest Request(string release, string[] canary, int[] percents, int success = 100, int errorCount = 0, int errorPercent = 0, int attempts = 3) => new()
    {
        ReleaseId = release, Canary = canary.ToList(), Percents = percents.ToList(), SuccessPercent = success, ErrorCount = errorCount, ErrorPercent = errorPercent,
        SoakDays = 1, MaxGroupDays = 30, MaxAttempts = attempts,
    };

    private static int Count(ServerLab lab, string sql, object? args = null)
    {
        using var c = lab.Core.Database.Connect();
        return (int)c.ExecuteScalar<long>(sql, args);
    }

    [Fact]
    public void WithAnAdmissionLimitNoMoreLocksThanItAllowsAreOfferedOrDownloadingAtOnceAndAllEndConfirmed()
    {
        using var lab = new ServerLab(_backend);
        lab.Core.Driver.MaxDownloads = 4;
        var fleet = new SimFleet(lab, "M", 12);
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        fleet.Day();
        var request = Request(release, Array.Empty<string>(), new[] { 100 });
        request.SoakDays = 0;
        long id = lab.StartRollout(request);
        int most = 0;
        for (int day = 0; day < 30 && lab.Core.Rollouts.Get(id).State == RolloutStates.Running; day++)
        {
            lab.Tick();
            most = Math.Max(most, Count(lab, "SELECT COUNT(*) FROM actions WHERE state IN ('offered', 'downloading')"));
            Assert.True(lab.Sniffer.Offers <= 4 * (day + 1), "more offers than places");
            fleet.Day();
        }

        Assert.Equal(RolloutStates.Completed, lab.Core.Rollouts.Get(id).State);
        Assert.Equal(4, most);                                          // the limit was reached, never passed
        Assert.All(fleet.Locks, l => Assert.Equal("1.1.0", l.Firmware));
        Assert.Equal(12, lab.Sniffer.Offers);                          // one offer per lock: waiting is not failing
    }

    [Fact]
    public void AGoodReleaseGoesThroughEveryGroupTo100PercentWithEveryLockConfirmed()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "G", 50);
        string[] canary = { "SK-G-001", "SK-G-002", "SK-G-003" };
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        var watch = Stopwatch.StartNew();
        fleet.Day();                                                   // the locks report: the registry knows them
        long id = lab.StartRollout(Request(release, canary, new[] { 1, 10, 50, 100 }));
        lab.Tick();
        while (lab.Core.Rollouts.Get(id).State == RolloutStates.Running && fleet.Days < 20) fleet.Day();
        watch.Stop();
        _output.WriteLine($"{_backend.Name}: 50 locks, {fleet.Days} simulated days, {watch.Elapsed.TotalSeconds:0.0} s");

        var rollout = lab.Core.Rollouts.Get(id);
        Assert.Equal(RolloutStates.Completed, rollout.State);
        Assert.All(fleet.Locks, l => Assert.Equal("1.1.0", l.Firmware));
        var plan = rollout.Groups;
        int[] expected = plan.Groups.Select((_, g) => fleet.Locks.Count(l => plan.GroupOf(l.Serial) == g)).ToArray();
        Assert.Equal(50, expected.Sum());
        Assert.Equal(3, expected[0]);
        var status = lab.Core.Rollouts.StatusOf(id);
        Assert.Equal(expected, status.Groups.Select(g => g.Members).ToArray());
        Assert.All(status.Groups, g => Assert.Equal(g.Members, g.States.GetValueOrDefault(ActionStates.Confirmed)));
        Assert.Equal(50, Count(lab, "SELECT COUNT(*) FROM actions WHERE rollout_id = @id AND state = 'confirmed' AND attempts = 1 AND failures = 0", new { id }));
        Assert.All(fleet.Locks, l => Assert.Equal(1, lab.Sniffer.OffersTo(l.Serial)));
        Assert.Equal(50, lab.Core.Counters.Get(Counters.OffersPublished));
        // One 4 KB chunk per 3.2 KB image; a lock that waits more than 5 s (simulated) for it asks again, so under load a
        // chunk may be served twice, but never to a lock that was not assigned, and never refused for the rate.
        Assert.InRange(lab.Core.Counters.Get(Counters.ChunksServed), 50, 150);
        Assert.All(fleet.Locks, l => Assert.InRange(lab.Sniffer.ChunksTo(l.Serial), 1, 3));
        Assert.Equal(0, lab.Core.Counters.Get(Counters.ChunkRateLimited));
        Assert.All(lab.Core.Devices.List(), d => Assert.Equal("1.1.0", d.Firmware));
        // Every group in turn: the history names each group's start, and the end.
        var history = status.History.Select(h => h.Action).ToList();
        Assert.Equal(new[] { "created", "approved", "started" }, history.Take(3));
        Assert.Equal(expected.Length - 1, history.Count(h => h == "next group"));
        Assert.Equal("completed", history.Last());
        Assert.Equal(0, lab.Core.Counters.Get(Counters.ChunkUnassigned));
    }

    [Fact]
    public void AFailingImageInTheCanaryPausesTheRolloutAndWithdrawsTheOffersOfLocksNotStarted()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "F", 50);
        string[] canary = { "SK-F-001", "SK-F-002", "SK-F-003" };
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2, crash: true));   // never confirms: MCUboot reverts it
        fleet.Day();
        long id = lab.StartRollout(Request(release, canary, new[] { 1, 10, 50, 100 }, success: 90, errorCount: 1));
        lab.Tick();
        Assert.All(canary, s => Assert.Equal(1, lab.Sniffer.OffersTo(s)));
        Assert.Equal(3, lab.Sniffer.Offers);

        fleet.Locks[0].Window();                                       // the first canary lock's window comes first
        lab.WaitQuiet();
        lab.Tick();
        var rollout = lab.Core.Rollouts.Get(id);
        Assert.Equal(RolloutStates.Paused, rollout.State);
        Assert.Contains("error threshold", rollout.PauseReason);
        Assert.Equal(1, fleet.Locks[0].Device.Crashes);
        Assert.Equal("1.0.0", fleet.Locks[0].Firmware);
        // The two canary locks that had not started lost their offer, and are pending again.
        Assert.Equal(1, lab.Sniffer.WithdrawalsTo("SK-F-002"));
        Assert.Equal(1, lab.Sniffer.WithdrawalsTo("SK-F-003"));
        Assert.Equal(2, lab.Core.Counters.Get(Counters.OffersWithdrawn));
        Assert.Equal(2, Count(lab, "SELECT COUNT(*) FROM actions WHERE rollout_id = @id AND state = 'pending'", new { id }));
        // The lock failed the image's self-test and remembers it as bad: that lock's action ends (no retry).
        Assert.Equal(1, Count(lab, "SELECT COUNT(*) FROM actions WHERE rollout_id = @id AND state = 'failed' AND failures = 1", new { id }));

        // The rest of the day and the days after: nobody else is offered anything, nobody runs the bad image.
        fleet.Day(fleet.Locks.Skip(1));
        fleet.Day();
        Assert.Equal(RolloutStates.Paused, lab.Core.Rollouts.Get(id).State);
        Assert.Equal(3, lab.Sniffer.Offers);
        Assert.All(fleet.Locks, l => Assert.Equal("1.0.0", l.Firmware));
        Assert.All(fleet.Locks.Skip(1), l => Assert.Equal(0, l.Device.Crashes));
        Assert.Equal(3, Count(lab, "SELECT COUNT(*) FROM actions WHERE rollout_id = @id", new { id }));
        Assert.Contains(lab.Core.Rollouts.StatusOf(id).History, h => h.Action == "paused automatically" && h.Actor == RolloutDriver.Actor);
    }

    [Fact]
    public void LowBatteryLocksAreSkippedUntilTheyReportOk()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "B", 4);
        fleet.Locks[2].SetBattery(25);
        fleet.Locks[3].SetBattery(25);
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        fleet.Day();
        Assert.Equal("low", lab.Core.Devices.Get("SK-B-003")!.BatteryState);
        long id = lab.StartRollout(Request(release, Array.Empty<string>(), new[] { 100 }));
        lab.Tick();
        fleet.Day();
        fleet.Day();
        Assert.Equal(new[] { "1.1.0", "1.1.0", "1.0.0", "1.0.0" }, fleet.Locks.Select(l => l.Firmware));
        Assert.Equal(0, lab.Sniffer.OffersTo("SK-B-003"));
        Assert.Equal(0, lab.Sniffer.OffersTo("SK-B-004"));
        Assert.Equal(RolloutStates.Running, lab.Core.Rollouts.Get(id).State);

        fleet.Locks[2].SetBattery(100);                                 // new batteries
        fleet.Locks[3].SetBattery(100);
        for (int day = 0; day < 4 && lab.Core.Rollouts.Get(id).State == RolloutStates.Running; day++) fleet.Day();
        Assert.Equal(RolloutStates.Completed, lab.Core.Rollouts.Get(id).State);
        Assert.All(fleet.Locks, l => Assert.Equal("1.1.0", l.Firmware));
        Assert.All(fleet.Locks, l => Assert.Equal(1, lab.Sniffer.OffersTo(l.Serial)));
    }

    [Fact]
    public void TheRetryCapEndsALockThatFailsRepeatedly()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "R", 3);
        fleet.Locks[2].Device.Hardware.Slots.BadFlash = true;             // SK-R-003's update slot is worn out: every download fails
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        fleet.Day();
        long id = lab.StartRollout(Request(release, Array.Empty<string>(), new[] { 100 }, attempts: 3));
        lab.Tick();
        for (int day = 0; day < 8; day++) fleet.Day();

        Assert.Equal(3, lab.Sniffer.OffersTo("SK-R-003"));
        Assert.Equal(1, lab.Sniffer.OffersTo("SK-R-001"));
        var bad = lab.Core.Devices.Actions("SK-R-003").Single();
        Assert.Equal(ActionStates.Failed, bad.State);
        Assert.Equal(3, bad.Attempts);
        Assert.Equal(3, bad.Failures);
        Assert.Equal(SmartKey.Firmware.Ota.OtaError.SlotError, (byte)bad.LastError);
        Assert.Equal("1.0.0", fleet.Locks[2].Firmware);
        var rollout = lab.Core.Rollouts.Get(id);
        Assert.Equal(RolloutStates.Paused, rollout.State);             // 2 of 3 confirmed is below the 100 % asked for
        Assert.Contains("2 of 3 confirmed", rollout.PauseReason);
    }

    [Fact]
    public void TheLastGroupWaitsForALockBetweenAttemptsRatherThanCancelItsRetry()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "W", 5);
        var flaky = fleet.Locks[4];
        flaky.Device.Hardware.Slots.BadFlash = true;                     // its first download fails at a bad sector
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        fleet.Day();
        var request = Request(release, Array.Empty<string>(), new[] { 100 }, success: 80, attempts: 3);
        request.SoakDays = 0;
        long id = lab.StartRollout(request);
        lab.Tick();
        fleet.Day();

        // 4 of 5 confirmed meets the 80 % asked for, but one lock is between attempts: the rollout is not over.
        Assert.Equal(4, Count(lab, "SELECT COUNT(*) FROM actions WHERE rollout_id = @id AND state = 'confirmed'", new { id }));
        var between = lab.Core.Devices.Actions(flaky.Serial).Single();
        Assert.Equal((ActionStates.Offered, 2L, 1L), (between.State, between.Attempts, between.Failures));   // the day's tick offered it again
        Assert.Equal(RolloutStates.Running, lab.Core.Rollouts.Get(id).State);

        flaky.Device.Hardware.Slots.BadFlash = false;                    // the next attempt goes through
        for (int day = 0; day < 5 && lab.Core.Rollouts.Get(id).State == RolloutStates.Running; day++) fleet.Day();

        Assert.Equal(RolloutStates.Completed, lab.Core.Rollouts.Get(id).State);
        var action = lab.Core.Devices.Actions(flaky.Serial).Single();
        Assert.Equal((ActionStates.Confirmed, 2L, 1L), (action.State, action.Attempts, action.Failures));
        Assert.Equal("1.1.0", flaky.Firmware);
        Assert.Equal(2, lab.Sniffer.OffersTo(flaky.Serial));
    }

    [Fact]
    public void AnImageALockRefusesForItsBytesEndsThatLockAtOnce()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "K", 3, trust: i => i == 3 ? TestKeys.Stranger : TestKeys.Vendor);   // SK-K-003 trusts another key
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        fleet.Day();
        lab.StartRollout(Request(release, Array.Empty<string>(), new[] { 100 }, attempts: 3));
        lab.Tick();
        for (int day = 0; day < 6; day++) fleet.Day();

        // The lock remembers the image as bad and would refuse it again: no second offer, the action ends.
        Assert.Equal(1, lab.Sniffer.OffersTo("SK-K-003"));
        var bad = lab.Core.Devices.Actions("SK-K-003").Single();
        Assert.Equal(ActionStates.Failed, bad.State);
        Assert.Equal(1, bad.Attempts);
        Assert.Equal(SmartKey.Firmware.Ota.OtaError.UnknownKey, (byte)bad.LastError);
        Assert.Equal("1.0.0", fleet.Locks[2].Firmware);
    }

    private static void Report(ServerLab lab, string serial, string firmware, string battery = "ok") =>
        lab.Publish(serial, "telemetry", System.Text.Encoding.UTF8.GetBytes($"{{\"serial\":\"{serial}\",\"firmware\":\"{firmware}\",\"battery\":{{\"percent\":90,\"millivolts\":6000,\"state\":\"{battery}\"}}}}"));

    private static void Status(ServerLab lab, string serial, string state, int error = 0) =>
        lab.Publish(serial, "ota/status", System.Text.Encoding.UTF8.GetBytes($"{{\"state\":\"{state}\",\"error\":{error},\"offset\":0,\"size\":3217}}"));

    [Fact]
    public void TheFilterChoosesTheTargetsAndALockThatJoinsLaterJoinsTheCurrentGroup()
    {
        using var lab = new ServerLab(_backend);
        var plan = GroupPlan.Default(new[] { "SK-J-CANARY", "SK-J-LATE-CANARY" }, new[] { 50, 100 });
        // Serials by the group their hash puts them in (the plan is public and reproducible).
        var byGroup = Enumerable.Range(0, 400).Select(i => "SK-J-" + i).GroupBy(s => plan.GroupOf(s)).ToDictionary(g => g.Key, g => g.ToList());
        string early = byGroup[1][0], late = byGroup[1][1], later = byGroup[2][0], old = byGroup[1][2], newer = byGroup[1][3], other = byGroup[1][4];
        lab.Admit(new[] { "SK-J-CANARY", "SK-J-LATE-CANARY", early, late, later, old, newer });
        lab.Core.Devices.Admit(SmartKey.OtaServer.Devices.ManufacturingRecord.Parse(TestKeys.Record(other, hardware: "smartkey-esp32-v2"), "test"), ServerLab.Creator);
        Report(lab, "SK-J-CANARY", "1.0.0");
        Report(lab, early, "1.0.2");
        Report(lab, old, "0.9.0");                                     // below the version range
        Report(lab, newer, "1.1.0");                                   // already runs the release
        Report(lab, other, "1.0.0");                                   // another hardware
        lab.WaitQuiet();
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        long id = lab.StartRollout(new RolloutRequest
        {
            ReleaseId = release, Canary = new() { "SK-J-CANARY", "SK-J-LATE-CANARY" }, Percents = new() { 50, 100 }, MinVersion = "1.0.0", MaxVersion = "1.0.9",
            SuccessPercent = 50, SoakDays = 1,
        });
        lab.Tick();
        Assert.Equal(new[] { "SK-J-CANARY" }, lab.Core.Devices.List().Where(d => lab.Sniffer.OffersTo(d.Serial) > 0).Select(d => d.Serial));
        Status(lab, "SK-J-CANARY", "downloading");
        Status(lab, "SK-J-CANARY", "confirmed");
        lab.WaitQuiet();
        lab.Clock.Advance(TimeSpan.FromDays(1));
        lab.Tick();                                                     // 1 of 1 canary lock confirmed, soaked: the 50 % group starts
        Assert.Equal(1, lab.Core.Rollouts.Get(id).CurrentGroup);
        Assert.Equal(1, lab.Sniffer.OffersTo(early));

        // Three locks report for the first time now: the late canary and the late 50 % lock join group 1; the 100 % one waits for its group.
        Report(lab, "SK-J-LATE-CANARY", "1.0.0");
        Report(lab, late, "1.0.1");
        Report(lab, later, "1.0.1");
        lab.WaitQuiet();
        lab.Tick();
        var actions = lab.Core.Rollouts.StatusOf(id);
        Assert.Equal(new[] { 1, 3, 0 }, actions.Groups.Select(g => g.Members));
        Assert.Equal(1, lab.Core.Devices.Actions("SK-J-LATE-CANARY").Single().GroupIndex);
        Assert.Equal(1, lab.Core.Devices.Actions(late).Single().GroupIndex);
        Assert.Empty(lab.Core.Devices.Actions(later));
        foreach (string excluded in new[] { old, newer, other }) Assert.Empty(lab.Core.Devices.Actions(excluded));
        Assert.Equal(1, lab.Sniffer.OffersTo(late));
        Assert.Equal(0, lab.Sniffer.OffersTo(later));

        // A failed attempt in the current group counts against the error share (default 5 %): 1 of 3 pauses the rollout.
        Status(lab, late, "failed", 13);
        lab.WaitQuiet();
        lab.Tick();
        var paused = lab.Core.Rollouts.Get(id);
        Assert.Equal(RolloutStates.Paused, paused.State);
        Assert.Contains("1 of 3 locks in group '50%'", paused.PauseReason);
    }

    [Fact]
    public void ARestartedServerContinuesTheRolloutFromTheDatabaseAndOffersNothingTwice()
    {
        using var lab = new ServerLab(_backend);
        var fleet = new SimFleet(lab, "S", 12);
        string release = lab.AddRelease(TestKeys.Image("1.1.0", counter: 2));
        fleet.Day();
        long id = lab.StartRollout(Request(release, new[] { "SK-S-001", "SK-S-002" }, new[] { 50, 100 }));
        lab.Tick();
        while (lab.Core.Rollouts.Get(id).CurrentGroup < 1) fleet.Day();
        int offersBefore = lab.Sniffer.Offers;
        Assert.True(offersBefore > 2, "the second group has been offered");

        lab.Restart();                                                  // a new process: nothing in memory survives
        lab.Tick();
        lab.Tick();
        Assert.Equal(offersBefore, lab.Sniffer.Offers);                // ticks of the new process repeat no offer
        for (int day = 0; day < 10 && lab.Core.Rollouts.Get(id).State == RolloutStates.Running; day++) fleet.Day();

        Assert.Equal(RolloutStates.Completed, lab.Core.Rollouts.Get(id).State);
        Assert.All(fleet.Locks, l => Assert.Equal("1.1.0", l.Firmware));
        Assert.All(fleet.Locks, l => Assert.Equal(1, lab.Sniffer.OffersTo(l.Serial)));
        Assert.Equal(12, Count(lab, "SELECT COUNT(*) FROM actions WHERE rollout_id = @id AND state = 'confirmed' AND attempts = 1", new { id }));
    }
}

public sealed class SqliteRolloutTests : RolloutTests
{
    public SqliteRolloutTests(ITestOutputHelper output) : base(new SqliteBackend(), output) { }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRolloutTests : RolloutTests
{
    public PostgresRolloutTests(PostgresServer server, ITestOutputHelper output) : base(new PostgresBackend(server), output) { }
}
