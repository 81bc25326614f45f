using KetaCare.Cli;

return CliApp.Run(args, Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected);
