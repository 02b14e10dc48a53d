using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SmartKey.Firmware.Protocol;
using SmartKey.Phone;

namespace SmartKey.Cli;

/// <summary>
/// `smartkey`: the phone side of SmartKey on the command line, against the simulator's BLE link
/// (`smartkey-sim serve`). Exit codes: 0 done, 1 refused by the lock or no lock reached (the reason is
/// printed), 2 usage or a local file (the command line, the wallet).
/// </summary>
public static class CliApp
{
    /// <summary>The tool's entry point: parse, run, and turn every failure into one line and an exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, Wallet>? openWallet = null) => SmartKey.Tools.ToolRunner.Run(Build(output, error, openWallet), args, output, error);

    /// <param name="openWallet">How a wallet path becomes a Wallet (tests inject write failures); default: the file.</param>
    public static RootCommand Build(TextWriter output, TextWriter error, Func<string, Wallet>? openWallet = null)
    {
        openWallet ??= path => new Wallet(path);
        var host = new Option<string>("--host") { Description = "simulator host", DefaultValueFactory = _ => "127.0.0.1", Recursive = true };
        var port = new Option<int>("--port") { Description = "simulator BLE link port", DefaultValueFactory = _ => 7400, Recursive = true };
        var walletPath = new Option<string>("--wallet") { Description = "credential file", DefaultValueFactory = _ => Wallet.DefaultPath, Recursive = true };
        var serial = new Option<string?>("--serial") { Description = "which lock (needed when the wallet holds several)", Recursive = true };
        var root = new RootCommand("SmartKey phone CLI: pair, unlock, lock, manage keys and read the log of a SmartKey lock");
        root.Options.Add(host);
        root.Options.Add(port);
        root.Options.Add(walletPath);
        root.Options.Add(serial);

        Command Cmd(string name, string description, Func<Context, int> action, params Option[] options)
        {
            var c = new Command(name, description);
            foreach (var o in options) c.Options.Add(o);
            c.SetAction(parse =>
            {
                try
                {
                    string hostName = parse.GetValue(host)!;
                    if (Uri.CheckHostName(hostName) == UriHostNameType.Unknown) throw new CliException($"--host '{hostName}' is not a host name or address: give where serve runs (127.0.0.1 by default)");
                    int portNumber = parse.GetValue(port);
                    if (portNumber is < 1 or > 65535) throw new CliException($"--port {portNumber} is not a TCP port: give 1..65535 (serve's BLE link, 7400 by default)");
                    var ctx = new Context(parse.GetValue(host)!, portNumber, OpenWallet(openWallet, parse.GetValue(walletPath)!), parse.GetValue(serial), output, parse);
                    return action(ctx);
                }
                catch (PhoneException e)
                {
                    error.WriteLine("refused: " + e.Message + (e.RetryAfterSeconds > 0 ? $" (retry in {e.RetryAfterSeconds} s)" : ""));
                    return 1;
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    error.WriteLine($"refused: no lock answers at {parse.GetValue(host)}:{parse.GetValue(port)} ({e.SocketErrorCode}): start 'smartkey-sim serve' or give its --host/--port");
                    return 1;
                }
                catch (Exception e) when (e is CliException or FormatException)
                {
                    error.WriteLine("error: " + e.Message);
                    return 2;
                }
            });
            return c;
        }

        var code = new Option<string?>("--code") { Description = "setup code from the lock's label (pairs only a lock with no owner)" };
        var invite = new Option<string?>("--invite") { Description = "one-time owner code (32 hex digits) from an owner's 'smartkey allow-owner'" };
        var qr = new Option<string?>("--qr") { Description = "the text of the label's QR code, SMARTKEY:1:<serial>:<setup code> (instead of --lock and --code)" };
        var resume = new Option<int?>("--resume") { Description = "finish a pairing whose key the wallet kept as pending: the key number the failed pairing printed" };
        var pairSerial = new Option<string?>("--lock") { Description = "serial number from the lock's label" };
        var name = new Option<string>("--name") { Description = "this phone's name in the pairing transcript (1..32 characters)", DefaultValueFactory = _ => Environment.MachineName };
        root.Subcommands.Add(Cmd("pair", "pair as an owner with the label's serial and setup code (or its QR text), or with an owner's one-time code", ctx =>
            Pairing.Run(ctx, ctx.Parse.GetValue(pairSerial), ctx.Parse.GetValue(code), ctx.Parse.GetValue(invite), ctx.Parse.GetValue(qr), ctx.Parse.GetValue(resume), ctx.Parse.GetValue(name)!, error),
            code, invite, qr, resume, pairSerial, name));

        root.Subcommands.Add(Cmd("unlock", "unlock (one round trip)", ctx => ctx.Command(CommandId.Unlock, d => "bolt " + (SmartKey.Firmware.Lock.LockState)d[0])));
        root.Subcommands.Add(Cmd("lock", "lock", ctx => ctx.Command(CommandId.Lock, d => "bolt " + (SmartKey.Firmware.Lock.LockState)d[0])));
        root.Subcommands.Add(Cmd("status", "lock state, battery, device time", ctx => ctx.Command(CommandId.Status, d =>
        {
            var s = DeviceStatusView.Parse(d);
            return $"bolt {s.Lock}, door {s.DoorText}, battery {s.BatteryPercent}% ({s.BatteryMillivolts} mV, {s.Battery}), device time {s.DeviceTime:u}, {s.Keys} key(s), firmware {s.FirmwareVersion}, you are key #{s.YourBindingId}";
        })));
        root.Subcommands.Add(Cmd("time", "set the lock's clock to this computer's time (owner)", ctx => ctx.Session(s =>
        {
            s.SetTime(DateTimeOffset.UtcNow);
            return "clock set to " + DateTimeOffset.UtcNow.ToString("u");
        })));

        var keys = new Command("keys", "list, add and revoke keys (owner)");
        keys.Subcommands.Add(Cmd("list", "list the lock's keys", ctx => ctx.Session(s => string.Join(Environment.NewLine, s.ListKeys().Select(k =>
            $"#{k.Id} {k.RoleText}{(k.Revoked ? " revoked" : "")}" + (k.Role == 2 ? $", {Window(k.ValidFrom, k.ValidUntil)}, {Schedule.Describe(k.Days, k.StartMinute, k.EndMinute)}" : ""))))));
        var from = new Option<DateTimeOffset?>("--from") { Description = "valid from (e.g. 2026-03-01T00:00Z); default now (less the 60 s the lock's clock may lag)" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "valid until; default open-ended" };
        var days = new Option<string>("--days") { Description = "days, e.g. mon-fri or sat,sun", DefaultValueFactory = _ => "all" };
        var start = new Option<string>("--start") { Description = "daily start HH:mm (lock's local time)", DefaultValueFactory = _ => "00:00" };
        var end = new Option<string>("--end") { Description = "daily end HH:mm", DefaultValueFactory = _ => "24:00" };
        keys.Subcommands.Add(Cmd("add-guest", "grant a guest key; prints the pass to give the guest", ctx =>
        {
            // Checked before anything is sent: a mistake costs no connection. "Now" is by the lock's clock, which the
            // phone leaves alone within ClockTolerance, so the default start is that much earlier.
            var guestWindow = GuestWindow.Parse(ctx.Parse.GetValue(from), ctx.Parse.GetValue(until), ctx.Parse.GetValue(days)!, ctx.Parse.GetValue(start)!, ctx.Parse.GetValue(end)!, DateTimeOffset.UtcNow);
            return ctx.Session(s =>
            {
                var guest = s.AddGuest(guestWindow.From, guestWindow.Until, guestWindow.Days, guestWindow.Start, guestWindow.End);
                return $"guest key #{guest.BindingId}; give the guest this pass (secret): {guest.ToPass()}";
            });
        }, from, until, days, start, end));
        var id = new Argument<int>("id") { Description = "key number" };
        var revoke = Cmd("revoke", "revoke a key at once", ctx =>
        {
            int number = ctx.Parse.GetValue(id);
            if (number < 1 || number > 255) throw new CliException($"key number {number} is out of range: give a number 1..255 from 'smartkey keys list'");
            return ctx.Session(s =>
            {
                try
                {
                    s.Revoke((byte)number);
                }
                catch (PhoneException e) when (e.Code == ErrorCode.UnknownBinding)
                {
                    // The command's argument names no key; the session's own key is fine (it just opened).
                    throw new PhoneException(e.Code, $"lock {s.Credential.Serial} has no key #{number}: 'smartkey keys list' shows its keys");
                }

                return $"key #{number} revoked";
            });
        });
        revoke.Arguments.Add(id);
        keys.Subcommands.Add(revoke);
        root.Subcommands.Add(keys);

        var pass = new Argument<string>("pass") { Description = "a guest pass (skg1.…)" };
        var replace = new Option<bool>("--replace") { Description = "let the pass replace an owner key held for the same lock (you lose owner rights)" };
        var import = Cmd("import", "store a guest pass received from an owner", ctx =>
        {
            var credential = Credential.FromPass(ctx.Parse.GetValue(pass)!);
            ctx.Wallet.Save(credential, replaceStronger: ctx.Parse.GetValue(replace));
            ctx.Out.WriteLine($"guest key #{credential.BindingId} for {credential.Serial} stored");
            return 0;
        }, replace);
        import.Arguments.Add(pass);
        root.Subcommands.Add(import);

        var cursor = new Option<uint>("--after") { Description = "only entries after this sequence number", DefaultValueFactory = _ => 0u };
        root.Subcommands.Add(Cmd("log", "read the unlock log (owner)", ctx => ctx.Session(s => string.Join(Environment.NewLine, s.ReadAllLog(ctx.Parse.GetValue(cursor)).Select(e => e.ToString()))), cursor));

        var autoLock = new Option<int?>("--auto-lock") { Description = "seconds until auto-lock, 0 = off" };
        var reports = new Option<string?>("--error-reports") { Description = "allow error reports in telemetry: on or off" };
        var window = new Option<int?>("--advertising-window") { Description = "seconds the lock advertises after a wake" };
        var timezone = new Option<int?>("--timezone") { Description = "offset from UTC in minutes, for guest schedules" };
        var retention = new Option<int?>("--log-days") { Description = "keep unlock-log entries this many days" };
        root.Subcommands.Add(Cmd("settings", "show or change settings (owner)", ctx =>
        {
            // The lock's ranges (DeviceSettings.IsValid), checked before anything is sent.
            InRange(ctx.Parse.GetValue(autoLock), "--auto-lock", 0, 3600, "seconds (0 = off)");
            InRange(ctx.Parse.GetValue(window), "--advertising-window", 5, 600, "seconds");
            InRange(ctx.Parse.GetValue(timezone), "--timezone", -840, 840, "minutes from UTC (e.g. 60 for UTC+1)");
            InRange(ctx.Parse.GetValue(retention), "--log-days", 1, 3650, "days");
            bool? allowReports = ctx.Parse.GetValue(reports)?.ToLowerInvariant() switch
            {
                null => null,
                "on" or "true" or "yes" => true,
                "off" or "false" or "no" => false,
                string other => throw new CliException($"--error-reports takes on or off, not '{other}'"),
            };
            return ctx.Session(s =>
            {
                var settings = s.GetSettings();
                bool change = false;
                if (ctx.Parse.GetValue(autoLock) is int a) { settings.AutoLockDelaySeconds = a; change = true; }
                if (allowReports is bool r) { settings.ErrorReportsAllowed = r; change = true; }
                if (ctx.Parse.GetValue(window) is int w) { settings.AdvertisingWindowSeconds = w; change = true; }
                if (ctx.Parse.GetValue(timezone) is int t) { settings.TimezoneOffsetMinutes = t; change = true; }
                if (ctx.Parse.GetValue(retention) is int d) { settings.LogRetentionDays = d; change = true; }
                if (change) s.SetSettings(settings);
                return $"auto-lock {settings.AutoLockDelaySeconds} s, error reports {(settings.ErrorReportsAllowed ? "on" : "off")}, advertising window {settings.AdvertisingWindowSeconds} s, timezone {settings.TimezoneOffsetMinutes:+0;-0} min, log kept {settings.LogRetentionDays} days";
            });
        }, autoLock, reports, window, timezone, retention));

        var ssid = new Option<string>("--ssid") { Description = "the network name (printable ASCII, 1..32 characters)", Required = true };
        var password = new Option<string>("--password") { Description = "8..63 printable ASCII characters; empty for an open network", DefaultValueFactory = _ => "" };
        root.Subcommands.Add(Cmd("wifi", "set the Wi-Fi network the lock reports through (owner)", ctx =>
        {
            string network = ctx.Parse.GetValue(ssid)!, secret = ctx.Parse.GetValue(password)!;
            if (network.Length is 0 or > 32 || !IsPrintableAscii(network))
                throw new CliException($"--ssid takes 1 to 32 printable ASCII characters (the lock's limit); '{network}' has {network.Length}" + (IsPrintableAscii(network) ? "" : " and others"));
            if (secret.Length != 0 && (secret.Length is < 8 or > 63 || !IsPrintableAscii(secret)))
                throw new CliException($"--password takes 8 to 63 printable ASCII characters (WPA2), or none for an open network; this one has {secret.Length}" + (IsPrintableAscii(secret) ? "" : " and characters outside ASCII"));
            return ctx.Session(s =>
            {
                s.SetWifi(network, secret);
                return "Wi-Fi set: the lock uses " + network + " in its next window";
            });
        }, ssid, password));

        root.Subcommands.Add(Cmd("allow-owner", "let one more phone pair as an owner in the next two minutes: prints the one-time code for it (owner)", ctx => ctx.Session(s =>
        {
            var invitation = s.AllowOwnerPairing();
            return $"pairing open for {invitation.Seconds} s, for one phone; give the new owner this one-time code (secret): {invitation.CodeHex}" + Environment.NewLine
                + $"  on their phone: smartkey pair --lock {s.Credential.Serial} --invite {invitation.CodeHex}";
        })));
        var yes = new Option<bool>("--yes") { Description = "confirm: wipes every key, the log and the settings" };
        root.Subcommands.Add(Cmd("reset", "factory reset (owner)", ctx =>
        {
            if (!ctx.Parse.GetValue(yes)) throw new CliException("a factory reset wipes every key, the log and the settings: add --yes");
            var credential = ctx.Wallet.Find(ctx.Serial);
            ctx.Session(s => { s.FactoryReset(); return "factory reset done: the lock has no owner now and pairs with the setup code on its label"; });
            ctx.Wallet.Forget(credential.Serial);
            return 0;
        }, yes));
        root.Subcommands.Add(Cmd("touch", "touch the simulated lock (wakes it from deep sleep)", ctx =>
        {
            using var transport = new TcpPhoneTransport(ctx.Host, ctx.Port);
            transport.Touch();
            System.Threading.Thread.Sleep(100);
            ctx.Out.WriteLine("touched");
            return 0;
        }));
        return root;
    }

    private static Wallet OpenWallet(Func<string, Wallet> open, string path)
    {
        try
        {
            return open(path);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"{path} is not a SmartKey wallet (bad JSON at line {e.LineNumber + 1}): move it away or give another file with --wallet");
        }
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            throw new CliException($"{path} is not a SmartKey wallet (a key is not hex): move it away or give another file with --wallet");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the wallet {path}: {e.Message}");
        }
    }

    private static void InRange(int? value, string option, int min, int max, string unit)
    {
        if (value is { } v && (v < min || v > max)) throw new CliException($"{option} {v} is out of range: give {min}..{max} {unit}");
    }

    private static bool IsPrintableAscii(string text)
    {
        foreach (char c in text) if (c is < ' ' or > '~') return false;
        return true;
    }

    private static string Window(uint from, uint until) =>
        $"valid {(from == 0 ? "now" : DateTimeOffset.FromUnixTimeSeconds(from).ToString("u"))} to {(until == 0 ? "open end" : DateTimeOffset.FromUnixTimeSeconds(until).ToString("u"))}";

    /// <summary>One command's surroundings: where the lock is, which credential, where to print.</summary>
    public sealed record Context(string Host, int Port, Wallet Wallet, string? Serial, TextWriter Out, System.CommandLine.ParseResult Parse)
    {
        public T Run<T>(Func<SmartKeyPhone, T> work)
        {
            using var transport = new TcpPhoneTransport(Host, Port);
            transport.Touch();
            var phone = new SmartKeyPhone(transport);
            phone.Connect();
            try
            {
                return work(phone);
            }
            finally
            {
                phone.Disconnect();
            }
        }

        /// <summary>
        /// Opens a session; a refused key is explained with where it went, because nothing in the
        /// advertisement says which lock answers on a host and port (docs/protocol.md, Advertisement).
        /// </summary>
        private PhoneSession Open(SmartKeyPhone phone, Credential credential, byte command, out byte[] data)
        {
            try
            {
                return phone.Open(credential, command, Array.Empty<byte>(), out data);
            }
            catch (PhoneException e) when (e.Code is ErrorCode.UnknownBinding or ErrorCode.BindingRevoked or ErrorCode.AuthenticationFailed)
            {
                throw new PhoneException(e.Code, $"the lock at {Host}:{Port} does not take key #{credential.BindingId} of {credential.Serial} ({ErrorText.Describe(e.Code)}): " +
                    $"if it is {credential.Serial}, the key was revoked or the lock reset (pair again or ask an owner for a new pass); otherwise you reached another lock (check --host/--port)", e.RetryAfterSeconds);
            }
        }

        /// <summary>Opens a session whose first command is this one, prints the formatted answer.</summary>
        public int Command(byte command, Func<byte[], string> format)
        {
            var credential = Wallet.Find(Serial);
            string text = Run(phone =>
            {
                var session = Open(phone, credential, command, out byte[] data);
                var now = DateTimeOffset.UtcNow;
                if (command == CommandId.Status && session.SyncClock(DeviceStatusView.Parse(data), now))
                    Out.WriteLine($"set the lock's clock to {now:u} (it said {DeviceStatusView.Parse(data).DeviceTime:u})");
                return format(data);
            });
            Out.WriteLine(text);
            return 0;
        }

        /// <summary>Opens a session with Status (setting the lock's clock when it is off, owners only), runs more commands, prints their answer.</summary>
        public int Session(Func<PhoneSession, string> work, Credential? paired = null)
        {
            var credential = paired ?? Wallet.Find(Serial);
            string text = Run(phone =>
            {
                var session = Open(phone, credential, CommandId.Status, out byte[] first);
                var status = DeviceStatusView.Parse(first);
                var now = DateTimeOffset.UtcNow;
                if (session.SyncClock(status, now)) Out.WriteLine($"set the lock's clock to {now:u} (it said {status.DeviceTime:u})");
                string result = work(session);
                try
                {
                    session.End();
                }
                catch (PhoneException)
                {
                }

                return result;
            });
            if (text.Length > 0) Out.WriteLine(text);
            return 0;
        }
    }
}
