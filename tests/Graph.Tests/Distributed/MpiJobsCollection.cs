using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>The test classes that start mpirun jobs run one after another, not beside each other.</summary>
[CollectionDefinition(Name)]
public sealed class MpiJobsCollection
{
    public const string Name = "mpirun jobs";
}
