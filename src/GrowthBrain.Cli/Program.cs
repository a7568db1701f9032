using GrowthBrain.Cli;

return await GrowthBrainCli.RunAsync(args);
