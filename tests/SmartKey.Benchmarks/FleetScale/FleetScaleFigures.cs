using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using SmartKey.OtaServer.Auth;
using SmartKey.OtaServer.Rollouts;
using SmartKey.OtaServer.Storage;
using SmartKey.OtaServer.Tests.Cluster;
using SmartKey.OtaServer.Tests.Fixtures;
using SmartKey.Firmware.Telemetry;
using SmartKey.Simulator.Fleet;

namespace SmartKey.Benchmarks.FleetScale;

/// <summary>
/// Issue 15 figures: a full staged rollout of one release over a simulated fleet through 1, 2 and 3 server
/// replica processes on one PostgreSQL and one mosquitto, with injected failures. Prints per run: simulated days
/// and wall seconds to the end, chunks and MB served per second per replica, messages ingested per second,
/// database commits per second, peak memory (VmHWM) per replica, replica CPU seconds per 1,000 locks.
/// `dotnet run -c Release --project tests/SmartKey.Benchmarks -- fleet [locks] [image KB] [replica counts]`.
/// </summary>
public static class FleetScaleFigures
{
    public static void Run(int locks, int imageKb, int[] replicaCounts, double daySeconds)
    {
        Console.WriteLine($"Fleet scale (issue 15): {locks} virtual locks, {imageKb} KB release, 2 % injected failures, canary 10 → 1 % → 10 % → 50 % → 100 %, a day is {daySeconds:0.#} s, at most {MaxDownloads} locks downloading at once");
        using var postgres = PostgresServer.WithStatementStatistics();
        foreach (int replicas in replicaCounts) RunOnce(postgres, locks, imageKb, replicas, daySeconds).GetAwaiter().GetResult();
    }

    private static async Task RunOnce(PostgresServer postgres, int count, int imageKb, int replicaCount, double daySeconds)
    {
        using var broker = new Broker();
        string dir = Path.Combine(Path.GetTempPath(), "smartkey-fleet-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string database = postgres.NewDatabase();
        var ports = Enumerable.Range(0, replicaCount).Select(_ => Broker.FreePort()).ToArray();
        var replicas = Enumerable.Range(0, replicaCount).Select(i => new ReplicaProcess("replica-" + i,
            $"--db \"{database}\" --data-dir \"{dir}\" --trust-key {TestKeys.VendorPoint} --mqtt-port {broker.Port} --client-id replica-{i} " +
            $"--shared-group ota --urls http://127.0.0.1:{ports[i]} --interval 1 --lease-seconds 5 --max-downloads {MaxDownloads} " +
            // The per-lock telemetry limit (1 a minute) scaled by the days' compression, so every report is still taken in.
            $"--telemetry-per-minute {Math.Ceiling(86_400 / daySeconds)}")).ToList();
        try
        {
            foreach (var r in replicas) r.Start();
            var db = Database.Open(database);
            using var api = OperatorTokens.Client(new Uri($"http://127.0.0.1:{ports[0]}"), OperatorTokens.Issue(database, ServerLab.Creator, Roles.Admin, Roles.ReleaseManager), TimeSpan.FromMinutes(5));
            var options = new FleetOptions
            {
                Count = count, SerialPrefix = "SK-B-", BrokerPort = broker.Port, TrustKeys = new[] { SmartKey.Ota.ImageSigner.PublicPoint(TestKeys.Vendor) },
                Day = TimeSpan.FromSeconds(daySeconds), Days = 400, ChunkTimeout = TimeSpan.FromMilliseconds(Uplink.ChunkRequestTimeoutMs), Seed = 15,
                Faults = new FaultRates { BadFlash = 0.01, PowerCut = 0.005, BrokerDrop = 0.005 },
            };
            var fleet = new Fleet(options);
            Check(await api.PostAsync("/api/devices/admit", new StringContent("[" + string.Join(",", fleet.Locks.Select(l => TestKeys.Record(l.Serial))) + "]", Encoding.UTF8, "application/json")));
            var upload = await api.PostAsync("/api/releases", new ByteArrayContent(TestKeys.Image("1.1.0", counter: 2, size: imageKb * 1024 - 1024)) { Headers = { ContentType = new("application/octet-stream") } });
            Check(upload);
            string release = (await upload.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["id"].ToString()!;

            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30));
            var run = fleet.RunAsync(stop.Token);
            while (Scalar(db, "SELECT COUNT(*) FROM devices WHERE battery_state = 'ok'") < count && !stop.IsCancellationRequested) await Task.Delay(500);
            var before = Sample(db, replicas, fleet);
            double brokerCpuBefore = ProcessCpu.Seconds(broker.Pid), postgresCpuBefore = ProcessCpu.TreeSeconds(postgres.PostmasterPid);
            double fleetCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            using (var stats = db.Connect())
            {
                stats.Execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                stats.Execute("SELECT pg_stat_statements_reset()");
            }

            double dayAtStart = fleet.Day;
            var wall = Stopwatch.StartNew();
            Check(await api.PostAsJsonAsync("/api/rollouts", new RolloutRequest
            {
                ReleaseId = release, Canary = fleet.Locks.Take(10).Select(l => l.Serial).ToList(), Percents = new List<int> { 1, 10, 50, 100 },
                SuccessPercent = 97, ErrorCount = 0, ErrorPercent = 10, SoakDays = 0, MaxGroupDays = 60, MaxAttempts = 3,
            }));
            long id = Scalar(db, "SELECT MAX(id) FROM rollouts");
            using (var bob = OperatorTokens.Client(api.BaseAddress!, OperatorTokens.Issue(database, ServerLab.Approver, Roles.Approver)))
            {
                Check(await bob.PostAsync($"/api/rollouts/{id}/approve", null));
                Check(await bob.PostAsync($"/api/rollouts/{id}/start", null));
            }

            var peak = new long[replicaCount];
            var window = new Queue<(double at, long bytes, long messages)>();
            double peakBytesPerSecond = 0, peakMessagesPerSecond = 0;
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < replicaCount; i++) peak[i] = Math.Max(peak[i], ProcessCpu.PeakKb(replicas[i].Pid));
                var st = fleet.Stats;
                double now = wall.Elapsed.TotalSeconds;
                window.Enqueue((now, st.ChunkBytes, st.TelemetrySent + st.StatusesSent + st.ChunkRequests));
                while (window.Count > 1 && now - window.Peek().at > PeakWindowSeconds) window.Dequeue();
                var first = window.Peek();
                if (now - first.at >= PeakWindowSeconds - 1)
                {
                    var last = window.Last();
                    peakBytesPerSecond = Math.Max(peakBytesPerSecond, (last.bytes - first.bytes) / (now - first.at));
                    peakMessagesPerSecond = Math.Max(peakMessagesPerSecond, (last.messages - first.messages) / (now - first.at));
                }

                string? state = Text(db, $"SELECT state FROM rollouts WHERE id = {id}");
                if (state is "completed" or "paused") break;
                await Task.Delay(500);
            }

            wall.Stop();
            double days = fleet.Day - dayAtStart;
            var after = Sample(db, replicas, fleet);
            for (int i = 0; i < replicaCount; i++) peak[i] = Math.Max(peak[i], ProcessCpu.PeakKb(replicas[i].Pid));
            double brokerCpu = ProcessCpu.Seconds(broker.Pid) - brokerCpuBefore, postgresCpu = ProcessCpu.TreeSeconds(postgres.PostmasterPid) - postgresCpuBefore;
            double fleetCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - fleetCpuBefore;
            stop.Cancel();
            await run;

            double s = wall.Elapsed.TotalSeconds;
            long chunks = after.Chunks - before.Chunks, bytes = after.ChunkBytes - before.ChunkBytes;
            long ingested = after.Messages - before.Messages, commits = after.Commits - before.Commits, rows = after.RowsWritten - before.RowsWritten;
            double cpu = after.Cpu - before.Cpu;
            string outcome = Text(db, $"SELECT state FROM rollouts WHERE id = {id}") ?? "?";
            using var c = db.Connect();
            var actions = string.Join(", ", c.Query<(string, long)>("SELECT state, COUNT(*) FROM actions WHERE rollout_id = @id GROUP BY state ORDER BY 1", new { id }).Select(a => $"{a.Item2} {a.Item1}"));
            Console.WriteLine($"  {replicaCount} replica(s): rollout {outcome} after {days:0.0} simulated days in {s:0.0} s wall ({actions})");
            Console.WriteLine($"    chunks served {chunks / s / replicaCount:0} /s per replica ({bytes / 1e6 / s / replicaCount:0.00} MB/s per replica, {bytes / 1e6 / s:0.00} MB/s in all); " +
                              $"busiest {PeakWindowSeconds} s: {peakBytesPerSecond / 1e6:0.00} MB/s in all");
            Console.WriteLine($"    messages ingested {ingested / s:0} /s (telemetry, statuses, chunk requests; busiest {PeakWindowSeconds} s: {peakMessagesPerSecond:0} /s), " +
                              $"database: {commits / s:0} commits/s, {rows / s:0} rows written/s");
            Console.WriteLine($"    peak memory per replica {string.Join(", ", peak.Select(p => (p / 1024.0).ToString("0") + " MB"))}; replica CPU {cpu:0.0} s = {cpu / (count / 1000.0):0.00} s per 1,000 locks");
            Console.WriteLine($"    CPU of the {s:0} s on {Environment.ProcessorCount} cores ({Environment.ProcessorCount * s:0} core-s): replicas {cpu:0} s, fleet simulator {fleetCpu:0} s, mosquitto {brokerCpu:0} s, PostgreSQL {postgresCpu:0} s");
            WriteBusiestStatements(c, s);
            Console.WriteLine($"FLEET replicas={replicaCount} locks={count} days={days:0.0} wall_s={s:0.0} chunk_mb_s_per_replica={bytes / 1e6 / s / replicaCount:0.00} peak_chunk_mb_s={peakBytesPerSecond / 1e6:0.00} " +
                              $"ingest_msg_s={ingested / s:0} peak_ingest_msg_s={peakMessagesPerSecond:0} commits_s={commits / s:0} rows_s={rows / s:0} peak_mb={peak.Max() / 1024.0:0} cpu_s_per_1000={cpu / (count / 1000.0):0.00} " +
                              $"cpu_replicas={cpu:0} cpu_fleet={fleetCpu:0} cpu_broker={brokerCpu:0} cpu_postgres={postgresCpu:0}");
        }
        finally
        {
            foreach (var r in replicas) r.Dispose();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Where PostgreSQL's time went (pg_stat_statements, this database, since the rollout's start): the statements that took the most.</summary>
    private static void WriteBusiestStatements(System.Data.Common.DbConnection c, double wallSeconds)
    {
        var rows = c.Query<(string query, long calls, double ms)>(@"SELECT query, calls, total_exec_time FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 8").ToList();
        double all = c.ExecuteScalar<double?>("SELECT SUM(total_exec_time) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())") ?? 0;
        long calls = c.ExecuteScalar<long?>("SELECT SUM(calls)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())") ?? 0;
        Console.WriteLine($"    database statements: {calls / wallSeconds:0} /s, executing {all / 1000:0.0} s in all; the busiest:");
        foreach (var (query, n, ms) in rows)
        {
            string text = System.Text.RegularExpressions.Regex.Replace(query, @"\s+", " ");
            Console.WriteLine($"      {ms / 1000,7:0.0} s {n,9} calls {ms * 1000 / Math.Max(1, n),8:0} µs  {(text.Length > 110 ? text[..110] + "…" : text)}");
        }
    }

    private const int PeakWindowSeconds = 10;

    /// <summary>The replicas' admission limit: 800 locks at the per-lock 20 chunks/s ask for 64 MB/s, above the goal, so the limit does not hide capacity.</summary>
    private const int MaxDownloads = 800;

    private sealed record Totals(long Chunks, long ChunkBytes, long Messages, long Commits, long RowsWritten, double Cpu);

    private static Totals Sample(Database db, List<ReplicaProcess> replicas, Fleet fleet)
    {
        var st = fleet.Stats;
        long commits = Scalar(db, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        long rows = Scalar(db, "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()");
        return new Totals(st.ChunksReceived, st.ChunkBytes, st.TelemetrySent + st.StatusesSent + st.ChunkRequests, commits, rows, replicas.Sum(r => ProcessCpu.Seconds(r.Pid)));
    }

    private static void Check(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
    }

    private static long Scalar(Database db, string sql)
    {
        using var c = db.Connect();
        return c.ExecuteScalar<long?>(sql) ?? 0;
    }

    private static string? Text(Database db, string sql)
    {
        using var c = db.Connect();
        return c.ExecuteScalar<string>(sql);
    }
}
