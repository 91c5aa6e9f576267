using Graph.Distributed.Ranks;

// Usage: Graph.Distributed.Ranks <scenario> <output folder> [options]; each rank writes its results under the folder.
return Scenarios.Run(args);
