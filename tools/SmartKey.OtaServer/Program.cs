using System;
using SmartKey.OtaServer.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
