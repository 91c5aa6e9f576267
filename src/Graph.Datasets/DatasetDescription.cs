using System.Collections.Immutable;

namespace Graph.Datasets;

/// <summary>A dataset as <see cref="DataLocator"/> sees it: a folder name and the files that belong in that folder.</summary>
public sealed class DatasetDescription
{
    /// <summary>Describes a dataset.</summary>
    /// <param name="name">The dataset's folder name, for example <c>mnist</c>.</param>
    /// <param name="files">The files of the dataset.</param>
    public DatasetDescription(string name, ImmutableArray<DatasetFile> files)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Path.GetFileName(name) != name)
        {
            throw new ArgumentException($"The dataset name '{name}' must be a bare folder name.", nameof(name));
        }

        if (files.IsDefaultOrEmpty)
        {
            throw new ArgumentException("A dataset has at least one file.", nameof(files));
        }

        Name = name;
        Files = files;
    }

    /// <summary>The dataset's folder name, for example <c>mnist</c>.</summary>
    public string Name { get; }

    /// <summary>The files of the dataset.</summary>
    public ImmutableArray<DatasetFile> Files { get; }
}
