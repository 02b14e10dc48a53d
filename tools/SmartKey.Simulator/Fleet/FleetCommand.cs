using System;
using System.CommandLine;
using System.Threading;
using SmartKey.Ota;

namespace SmartKey.Simulator.Fleet;

/// <summary>`smartkey-sim fleet`: N virtual locks against a broker until the given simulated days have passed.</summary>
public static class FleetCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "number of virtual locks", DefaultValueFactory = _ => 100 };
        var broker = new Option<string>("--broker") { Description = "the fleet's MQTT broker, host:port", DefaultValueFactory = _ => "127.0.0.1:1883" };
        var prefix = new Option<string>("--topic-prefix") { Description = "topic prefix (nf.config [mqtt] topic_prefix)", DefaultValueFactory = _ => "smartkey/v1" };
        var serials = new Option<string>("--serial-prefix") { Description = "serials are this prefix + a 6-digit number", DefaultValueFactory = _ => "SK-SIM-" };
        var first = new Option<int>("--first") { Description = "number of the first serial", DefaultValueFactory = _ => 1 };
        var otaKey = new Option<string>("--ota-key") { Description = "PEM public key of the vendor's OTA signing key, trusted by every lock", Required = true };
        var hardware = new Option<string>("--hardware-id") { Description = "the locks' hardware id", DefaultValueFactory = _ => "smartkey-esp32-v1" };
        var firmware = new Option<string>("--firmware") { Description = "the version every lock runs at the start", DefaultValueFactory = _ => "1.0.0" };
        var daySeconds = new Option<double>("--day-seconds") { Description = "wall seconds of one simulated day", DefaultValueFactory = _ => 20 };
        var days = new Option<double>("--days") { Description = "simulated days to run", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "seed of the fault assignment", DefaultValueFactory = _ => 1UL };
        var badFlash = Rate("--bad-flash", "share of locks whose slot fails to write (every attempt fails)");
        var lowBattery = Rate("--low-battery", "share of locks that start with a low battery (refuse offers for --low-battery-days)");
        var powerCut = Rate("--power-cut", "share of locks whose power is cut once mid-download");
        var brokerDrop = Rate("--broker-drop", "share of locks whose connection drops once mid-download");
        var badBoot = Rate("--bad-boot", "share of locks on which the new image fails its self-test (failed, then reverted)");
        var lowDays = new Option<int>("--low-battery-days") { Description = "days until a low battery is changed", DefaultValueFactory = _ => 2 };
        var mqtt5 = new Option<bool>("--mqtt5") { Description = "connect with MQTT 5 instead of 3.1.1" };
        var brokerCa = new Option<string?>("--broker-ca") { Description = "TLS: the CA (PEM or DER) that signed the broker's certificate (the kit's mqtt-ca); needs --manufacturing-ca" };
        var manufacturingCa = new Option<string?>("--manufacturing-ca")
        {
            Description = "TLS: the manufacturing CA's folder (smartkey-tech ca init: ca.cert.pem, ca.key.pem); every lock gets its own client certificate from it, CN = serial",
        };
        var upFront = new Option<bool>("--issue-up-front") { Description = "TLS: issue every lock's certificate before the run (default: at its first connection) and print the cost" };
        var records = new Option<string?>("--manufacturing-out")
        {
            Description = "write the locks' manufacturing records (one JSON array, for smartkey-ota-server device admit) to this file before the run",
        };

        var command = new Command("fleet", "Run N virtual locks (the firmware's update agent and codecs, no BLE) against an MQTT broker, days compressed");
        foreach (var option in new Option[] { count, broker, prefix, serials, first, otaKey, hardware, firmware, daySeconds, days, seed, badFlash, lowBattery, powerCut, brokerDrop, badBoot, lowDays, mqtt5, brokerCa, manufacturingCa, upFront, records })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            try
            {
                string[] hostPort = parse.GetValue(broker)!.Split(':');
                if (hostPort.Length != 2 || !int.TryParse(hostPort[1], out int port)) throw new ArgumentException("--broker is host:port");
                var options = new FleetOptions
                {
                    Count = parse.GetValue(count), BrokerHost = hostPort[0], BrokerPort = port, TopicPrefix = parse.GetValue(prefix)!,
                    SerialPrefix = parse.GetValue(serials)!, FirstNumber = parse.GetValue(first), HardwareId = parse.GetValue(hardware)!,
                    FirmwareVersion = parse.GetValue(firmware)!, Day = TimeSpan.FromSeconds(parse.GetValue(daySeconds)), Days = parse.GetValue(days),
                    Seed = parse.GetValue(seed), LowBatteryDays = parse.GetValue(lowDays), Mqtt5 = parse.GetValue(mqtt5),
                    TrustKeys = new[] { ImageSigner.PublicPoint(KeyFiles.Load(parse.GetValue(otaKey)!, requirePrivate: false)) },
                    Faults = new FaultRates
                    {
                        BadFlash = parse.GetValue(badFlash), LowBattery = parse.GetValue(lowBattery), PowerCut = parse.GetValue(powerCut),
                        BrokerDrop = parse.GetValue(brokerDrop), BadBoot = parse.GetValue(badBoot),
                    },
                };
                string? caFile = parse.GetValue(brokerCa), caFolder = parse.GetValue(manufacturingCa);
                if ((caFile == null) != (caFolder == null)) throw new ArgumentException("TLS needs both --broker-ca and --manufacturing-ca (neither: plain MQTT)");
                if (caFile == null && parse.GetValue(upFront)) throw new ArgumentException("--issue-up-front needs --broker-ca and --manufacturing-ca");
                using var identities = caFile == null ? null : FleetIdentities.Load(caFile, caFolder!);
                options.Identities = identities;
                var fleet = new Fleet(options);
                if (identities != null && parse.GetValue(upFront))
                {
                    identities.IssueAll(System.Linq.Enumerable.Select(fleet.Locks, l => l.Serial));
                    Console.WriteLine($"fleet: issued {identities.Issued} lock certificates in {identities.IssueTime.TotalSeconds:F2} s ({identities.IssueTime.TotalMilliseconds / identities.Issued:F2} ms each)");
                }

                if (parse.GetValue(records) is { } recordFile)
                {
                    FleetRecords.Write(fleet, recordFile, DateTimeOffset.UtcNow);
                    Console.WriteLine($"fleet: wrote the manufacturing records of {fleet.Locks.Count} locks to {recordFile} (admit them: smartkey-ota-server device admit {recordFile})");
                }

                using var stop = new CancellationTokenSource();
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
                Console.WriteLine($"fleet: {options.Count} locks on {options.BrokerHost}:{options.BrokerPort} ({(identities == null ? "plain MQTT" : "TLS, a certificate per lock")}), a day every {options.Day.TotalSeconds} s, for {options.Days} days");
                using var progressEnd = new CancellationTokenSource();
                var progress = FleetProgress.ReportAsync(fleet, Console.Out, stop, progressEnd.Token);
                fleet.RunAsync(stop.Token).GetAwaiter().GetResult();
                progressEnd.Cancel();
                progress.GetAwaiter().GetResult();
                FleetSummary.Write(fleet, Console.Out);
                if (FleetProgress.NoneConnected(fleet))
                {
                    Console.Error.WriteLine($"smartkey-sim fleet: no lock could connect to the broker at {options.BrokerHost}:{options.BrokerPort} ({fleet.Stats.ConnectFailures} attempts failed): start it, or name it with --broker");
                    return 1;
                }

                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or System.IO.IOException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                Console.Error.WriteLine("smartkey-sim fleet: " + e.Message);
                return 2;
            }
        });
        return command;
    }

    private static Option<double> Rate(string name, string description) => new(name) { Description = description + " (0..1)", DefaultValueFactory = _ => 0 };
}
