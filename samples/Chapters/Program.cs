using Graph.Samples.Cli;

return ChaptersCli.Run(args, Console.Out, Console.Error);
