using Graph.Datasets;

namespace Graph.Samples.Chapter15;

/// <summary>The Enron-Spam sets prepared as the book does (<see cref="SpamDataset.Prepare"/>), loaded once per process.</summary>
public static class SpamCorpus
{
    private static readonly Lazy<SpamDataset> Shared = new(() => SpamDataset.Prepare(EnronSpam.Load()));

    /// <summary>The sets from the data directory the runtime's <see cref="DataLocator"/> finds.</summary>
    public static SpamDataset Load() => Shared.Value;
}
