namespace Graph.Datasets;

/// <summary>
/// Where <see cref="DataLocator"/> looks for datasets and how it downloads missing ones. <see cref="FromEnvironment()"/>
/// gives the usual settings (<c>DataLocatorOptions.FromEnvironment() with { Downloader = null }</c> works offline);
/// tests set the folders to temporary ones and leave <see cref="Downloader"/> null.
/// </summary>
public sealed record DataLocatorOptions
{
    /// <summary>The folder named by <c>GRAPH_DATA</c>, which holds one sub-folder per dataset; null when the variable is unset.</summary>
    public string? EnvironmentDirectory { get; init; }

    /// <summary>
    /// The folders from which to look for <c>shared/data/&lt;dataset&gt;/</c>, in each folder and each of its ancestors;
    /// usually the current directory and the application's directory.
    /// </summary>
    public IReadOnlyList<string> SharedSearchStarts { get; init; } = [];

    /// <summary>The per-user cache, which holds one sub-folder per dataset; downloads go there. Null for none.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Fetches missing files; null disables downloads.</summary>
    public IDownloader? Downloader { get; init; }

    /// <summary>
    /// Whether a file found on disk must match one of its known checksums (<see cref="DatasetFile.KnownContent"/>);
    /// true by default. Each file is hashed once: the result is remembered by size and time stamp, in memory and in
    /// the cache folder. Tests that make small stand-in files under the real names turn it off.
    /// </summary>
    public bool VerifyLocalFiles { get; init; } = true;

    /// <summary>Shows download progress. By default, plain lines on standard error.</summary>
    public IDownloadProgressDisplay ProgressDisplay { get; init; } = new LineProgressDisplay(Console.Error);

    /// <summary>The usual settings, read from this process's environment variables.</summary>
    public static DataLocatorOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>
    /// The usual settings: <c>GRAPH_DATA</c>; <c>shared/data</c> above the current directory and above the application;
    /// the cache <c>$XDG_CACHE_HOME/graph/datasets</c> (when that is an absolute path), else
    /// <c>%LOCALAPPDATA%\graph\datasets</c> on Windows and <c>~/.cache/graph/datasets</c> elsewhere; downloads over HTTP
    /// with a progress bar on standard error when it is a terminal, plain lines otherwise.
    /// </summary>
    /// <param name="getEnvironmentVariable">Looks up an environment variable; null when it is unset.</param>
    public static DataLocatorOptions FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        return new DataLocatorOptions
        {
            EnvironmentDirectory = NonEmpty(getEnvironmentVariable(DataLocator.EnvironmentVariable)),
            SharedSearchStarts = [Environment.CurrentDirectory, AppContext.BaseDirectory],
            CacheDirectory = UserCacheDirectory(getEnvironmentVariable),
            Downloader = new HttpDownloader(),
            ProgressDisplay = Console.IsErrorRedirected ? new LineProgressDisplay(Console.Error) : new TerminalProgressDisplay(),
        };
    }

    private static string? UserCacheDirectory(Func<string, string?> getEnvironmentVariable)
    {
        string? xdgCache = NonEmpty(getEnvironmentVariable("XDG_CACHE_HOME"));
        string? cacheRoot = xdgCache is not null && Path.IsPathFullyQualified(xdgCache)
            ? xdgCache
            : OperatingSystem.IsWindows()
                ? NonEmpty(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData))
                : HomeCache(getEnvironmentVariable);
        return cacheRoot is null ? null : Path.Combine(cacheRoot, "graph", "datasets");
    }

    /// <summary><c>~/.cache</c>, with the home folder taken from <c>HOME</c> when it is set.</summary>
    private static string? HomeCache(Func<string, string?> getEnvironmentVariable)
    {
        string? home = NonEmpty(getEnvironmentVariable("HOME"))
            ?? NonEmpty(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        return home is null ? null : Path.Combine(home, ".cache");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
