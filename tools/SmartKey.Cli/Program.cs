using System;
using SmartKey.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
