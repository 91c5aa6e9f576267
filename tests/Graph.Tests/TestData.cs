namespace Graph.Tests;

/// <summary>Locates the repository and the shared reference folder beside it.</summary>
public static class TestData
{
    /// <summary>The repository root: the nearest ancestor of the test binaries that holds Graph.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The shared folder beside the repository (reference results, datasets), or null when absent.</summary>
    public static string? SharedDirectory
    {
        get
        {
            string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>The path of a file under shared/reference; fails the test with a clear message when it is missing.</summary>
    public static string Reference(string fileName)
    {
        string path = Path.Combine(SharedDirectory ?? throw new DirectoryNotFoundException(
            $"The shared folder is not beside the repository ({RepositoryRoot}); the reference files live in ../shared/reference."),
            "reference", fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Reference file {path} is missing.", path);
        }

        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Graph.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Graph.sln above {AppContext.BaseDirectory}.");
    }
}
