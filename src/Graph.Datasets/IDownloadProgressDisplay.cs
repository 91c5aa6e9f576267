namespace Graph.Datasets;

/// <summary>Shows the user how a download is going.</summary>
public interface IDownloadProgressDisplay
{
    /// <summary>Runs <paramref name="download"/>, showing the progress it reports until it returns or throws.</summary>
    /// <param name="description">What is being downloaded, for example the file name.</param>
    /// <param name="download">The download; it reports its progress to the <see cref="IProgress{T}"/> it is given.</param>
    void Show(string description, Action<IProgress<DownloadProgress>> download);
}
