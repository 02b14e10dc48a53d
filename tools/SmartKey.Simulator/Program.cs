using System;
using System.CommandLine;
using SmartKey.Simulator;

var configOption = new Option<string?>("--config") { Description = "nf.config to use instead of the embedded default" };
var seedOption = new Option<ulong>("--seed") { Description = "seed of the simulated hardware (entropy, noise, tearing)", DefaultValueFactory = _ => 1UL };

var demo = new Command("demo", "Walk the simulated device through its life (the default)");
demo.Options.Add(configOption);
demo.Options.Add(seedOption);
demo.SetAction(parse => new Demo(Console.Out).Run(EmbeddedConfig.Load(parse.GetValue(configOption)), parse.GetValue(seedOption)));

var root = new RootCommand("SmartKey simulator: the real firmware core on simulated hardware");
root.Subcommands.Add(demo);
root.Options.Add(configOption);
root.Options.Add(seedOption);
root.SetAction(parse => new Demo(Console.Out).Run(EmbeddedConfig.Load(parse.GetValue(configOption)), parse.GetValue(seedOption)));

return root.Parse(args).Invoke();
