using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>
/// The tests against a loopback HTTP server, whose stall timeouts and deadlines are real time: they run alone, after
/// the tests that run side by side, so that the suite's own load cannot starve the server or the client past them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackServerCollection
{
    public const string Name = "loopback HTTP server";
}
