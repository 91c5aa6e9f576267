namespace Graph.Tests;

/// <summary>A fresh folder under the system's temporary folder, deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "graph-tests-" + System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of the file <paramref name="name"/> in the folder (not created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates (if need be) the sub-folder at <paramref name="parts"/> and returns its full path.</summary>
    public string CreateDirectory(params string[] parts)
    {
        string directory = System.IO.Path.Combine([Path, .. parts]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Deletes the folder and its content.</summary>
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
