using System;
using System.CommandLine;
using SmartKey.Cli;

return CliApp.Build(Console.Out, Console.Error).Parse(args).Invoke();
