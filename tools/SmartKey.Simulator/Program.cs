using System;
using System.CommandLine;
using SmartKey.Simulator;

var configOption = new Option<string?>("--config") { Description = "nf.config to use instead of the embedded default" };
var seedOption = new Option<ulong>("--seed") { Description = "seed of the simulated hardware (entropy, noise, tearing)", DefaultValueFactory = _ => 1UL };

var demo = new Command("demo", "Walk the simulated device through its life (the default)");
demo.Options.Add(configOption);
demo.Options.Add(seedOption);
demo.SetAction(parse => new Demo(Console.Out).Run(EmbeddedConfig.Load(parse.GetValue(configOption)), parse.GetValue(seedOption)));

var portOption = new Option<int>("--port") { Description = "TCP port of the BLE link on 127.0.0.1 (the console is on port + 1)", DefaultValueFactory = _ => 7400 };
var flashOption = new Option<string?>("--flash") { Description = "file that holds the simulated flash, so keys and the log survive restarts" };
var serialOption = new Option<string?>("--provision-serial") { Description = "provision an unprovisioned lock with this serial number at start" };
var codeOption = new Option<string?>("--setup-code") { Description = "with --provision-serial: the setup code (default: a random one, printed)" };
// A lock draws its nonces and keys from its entropy: serve seeds it from the OS unless told (a fixed seed would
// repeat the advertised nonces of every earlier run). The demo keeps its fixed default: it is a script.
var serveSeedOption = new Option<ulong?>("--seed") { Description = "seed of the simulated hardware, for a run that repeats (default: drawn from the OS, new every start)" };
var serve = new Command("serve", "Run one simulated lock that the smartkey CLI (BLE link over TCP) and a terminal (console) can talk to");
foreach (var option in new Option[] { configOption, serveSeedOption, portOption, flashOption, serialOption, codeOption }) serve.Options.Add(option);
serve.SetAction(parse =>
{
    using var stop = new System.Threading.CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    ulong seed = parse.GetValue(serveSeedOption) ?? System.BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    return SmartKey.Simulator.Serve.ServeMode.Run(EmbeddedConfig.Load(parse.GetValue(configOption)), seed, parse.GetValue(portOption),
        parse.GetValue(flashOption), parse.GetValue(serialOption), parse.GetValue(codeOption), Console.Out, stop.Token);
});

var fleet = SmartKey.Simulator.Fleet.FleetCommand.Create();

var root = new RootCommand("SmartKey simulator: the real firmware core on simulated hardware");
root.Subcommands.Add(demo);
root.Subcommands.Add(serve);
root.Subcommands.Add(fleet);
root.Options.Add(configOption);
root.Options.Add(seedOption);
root.SetAction(parse => new Demo(Console.Out).Run(EmbeddedConfig.Load(parse.GetValue(configOption)), parse.GetValue(seedOption)));

return SmartKey.Tools.ToolRunner.Run(root, args, Console.Out, Console.Error);
