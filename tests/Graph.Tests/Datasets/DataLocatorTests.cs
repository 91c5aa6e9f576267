using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class DataLocatorTests : IDisposable
{
    private static readonly DatasetFile Images = new("the images", ["images.gz", "images-first100.gz"]);
    private static readonly DatasetFile Labels = new("the labels", ["labels.gz"]);
    private static readonly DatasetDescription Digits = new("digits", [Images, Labels]);

    private readonly TemporaryDirectory directory = new();
    private readonly string environmentRoot;
    private readonly string sharedSearchStart;
    private readonly string cacheRoot;

    public DataLocatorTests()
    {
        environmentRoot = directory.CreateDirectory("graph-data");
        sharedSearchStart = directory.CreateDirectory("work", "repo", "samples");
        cacheRoot = directory.CreateDirectory("cache", "graph", "datasets");
    }

    public void Dispose() => directory.Dispose();

    private string EnvironmentFolder => Path.Combine(environmentRoot, "digits");

    private string SharedFolder => Path.Combine(directory.Path, "work", "shared", "data", "digits");

    private string CacheFolder => Path.Combine(cacheRoot, "digits");

    [Fact]
    public void FindsTheFileInTheEnvironmentFolderAlone() => AssertFoundAlone(EnvironmentFolder);

    [Fact]
    public void FindsTheFileInASharedFolderAboveTheSearchStartAlone() => AssertFoundAlone(SharedFolder);

    [Fact]
    public void FindsTheFileInTheCacheAlone() => AssertFoundAlone(CacheFolder);

    [Fact]
    public void PrefersTheEnvironmentFolderToTheSharedFolderToTheCache()
    {
        string cached = CreateFile(CacheFolder, "images.gz");
        string shared = CreateFile(SharedFolder, "images.gz");
        Assert.Equal(shared, Locator().Locate(Digits, Images));

        string fromEnvironment = CreateFile(EnvironmentFolder, "images.gz");
        Assert.Equal(fromEnvironment, Locator().Locate(Digits, Images));
        Assert.True(File.Exists(cached));
    }

    [Fact]
    public void PrefersTheFirstAcceptedNameWhereverItIs()
    {
        CreateFile(EnvironmentFolder, "images-first100.gz");
        string preferred = CreateFile(CacheFolder, "images.gz");

        Assert.Equal(preferred, Locator().Locate(Digits, Images));
    }

    [Fact]
    public void ListsTheSearchLocationsInOrderEachOnce()
    {
        var locator = new DataLocator(Options() with { SharedSearchStarts = [sharedSearchStart, Path.Combine(sharedSearchStart, "..")] });

        IReadOnlyList<DatasetLocation> locations = locator.SearchLocations("digits");

        Assert.Equal(new DatasetLocation(EnvironmentFolder, DatasetLocationKind.EnvironmentVariable), locations[0]);
        Assert.Equal(new DatasetLocation(CacheFolder, DatasetLocationKind.UserCache), locations[^1]);
        string[] shared = locations.Skip(1).SkipLast(1).Select(location => location.Directory).ToArray();
        Assert.All(locations.Skip(1).SkipLast(1), location => Assert.Equal(DatasetLocationKind.SharedFolder, location.Kind));
        Assert.Equal(Path.Combine(sharedSearchStart, "shared", "data", "digits"), shared[0]);
        Assert.Contains(SharedFolder, shared);
        Assert.Equal(Path.Combine(Path.GetPathRoot(directory.Path)!, "shared", "data", "digits"), shared[^1]);
        Assert.Equal(shared.Length, shared.Distinct().Count());
    }

    [Fact]
    public void ExplainsOfflineWhereItLookedAndWhatToPutWhere()
    {
        string labels = CreateFile(SharedFolder, "labels.gz");
        DataLocator locator = Locator();

        var error = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(Digits, Images));

        Assert.Equal("digits", error.DatasetName);
        Assert.Equal("images.gz", error.FileName);
        Assert.Equal(locator.SearchLocations("digits"), error.SearchedLocations);
        Assert.StartsWith("Dataset 'digits' is missing the images.", error.Message);
        Assert.Contains("Looked for images.gz or images-first100.gz in these folders, in this order:", error.Message);
        Assert.All(error.SearchedLocations, location => Assert.Contains(location.Directory, error.Message));
        Assert.Contains("It has no download source", error.Message);
        Assert.Contains($"put the files below in {EnvironmentFolder} (the folder for 'digits' under GRAPH_DATA):", error.Message);
        Assert.Contains("  images.gz: missing; the images (also accepted: images-first100.gz)", error.Message);
        Assert.Contains($"  labels.gz: found at {labels}", error.Message);
    }

    [Fact]
    public void SuggestsTheCacheAndTheEnvironmentVariableWhenTheVariableIsUnset()
    {
        var locator = new DataLocator(Options() with { EnvironmentDirectory = null });

        var error = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(Digits, Labels));

        Assert.Contains("(GRAPH_DATA is not set)", error.Message);
        Assert.Contains($"put the files below in {CacheFolder}, or set the environment variable GRAPH_DATA to a folder and put them in its sub-folder 'digits':", error.Message);
    }

    [Fact]
    public void ReadsItsSettingsFromEnvironmentVariables()
    {
        string root = Path.GetPathRoot(directory.Path)!;
        var variables = new Dictionary<string, string>
        {
            ["GRAPH_DATA"] = Path.Combine(root, "data"),
            ["XDG_CACHE_HOME"] = Path.Combine(root, "xdg-cache"),
            ["HOME"] = Path.Combine(root, "home"),
        };

        DataLocatorOptions options = DataLocatorOptions.FromEnvironment(variables.GetValueOrDefault);

        Assert.Equal(Path.Combine(root, "data"), options.EnvironmentDirectory);
        Assert.Equal(Path.Combine(root, "xdg-cache", "graph", "datasets"), options.CacheDirectory);
        Assert.Equal([Environment.CurrentDirectory, AppContext.BaseDirectory], options.SharedSearchStarts);
        Assert.IsType<HttpDownloader>(options.Downloader);
    }

    [Fact]
    public void FallsBackToTheHomeCacheWithoutAnAbsoluteXdgCacheHome()
    {
        string home = Path.Combine(Path.GetPathRoot(directory.Path)!, "home");
        var variables = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "relative/cache", ["HOME"] = home };

        DataLocatorOptions options = DataLocatorOptions.FromEnvironment(variables.GetValueOrDefault);

        Assert.Null(options.EnvironmentDirectory);
        string expected = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "graph", "datasets")
            : Path.Combine(home, ".cache", "graph", "datasets");
        Assert.Equal(expected, options.CacheDirectory);
    }

    private void AssertFoundAlone(string folder)
    {
        string path = CreateFile(folder, "images.gz");

        Assert.Equal(path, Locator().Locate(Digits, Images));
    }

    [Theory]
    [InlineData("images.gz")]
    [InlineData("tasksv11/en/qa1_train.txt")]
    public void AcceptsABareNameOrARelativePath(string name) =>
        Assert.Equal([name], new DatasetFile("a file", [name]).FileNames.ToArray());

    [Theory]
    [InlineData("../images.gz")]
    [InlineData("tasks/./images.gz")]
    [InlineData("tasks//images.gz")]
    [InlineData("/images.gz")]
    [InlineData("tasks/")]
    [InlineData(" ")]
    public void RefusesAFileNameThatLeavesTheDatasetFolder(string name) =>
        Assert.Throws<ArgumentException>(() => new DatasetFile("a file", [name]));

    private DataLocatorOptions Options() => new()
    {
        EnvironmentDirectory = environmentRoot,
        SharedSearchStarts = [sharedSearchStart],
        CacheDirectory = cacheRoot,
    };

    private DataLocator Locator() => new(Options());

    private static string CreateFile(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }
}
