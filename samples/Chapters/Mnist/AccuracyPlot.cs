using ScottPlot;

namespace Graph.Samples.Mnist;

/// <summary>Draws a run's train and test accuracy per logged iteration into a PNG file.</summary>
public static class AccuracyPlot
{
    public static void Write(string path, string title, IReadOnlyList<int> iterations, IReadOnlyList<double> train, IReadOnlyList<double> test)
    {
        var plot = new Plot();
        double[] xs = iterations.Select(i => (double)i).ToArray();
        var trainLine = plot.Add.Scatter(xs, train.ToArray());
        trainLine.LegendText = "train accuracy";
        var testLine = plot.Add.Scatter(xs, test.ToArray());
        testLine.LegendText = "test accuracy";
        plot.Title(title);
        plot.XLabel("iteration");
        plot.YLabel("accuracy");
        plot.ShowLegend(Alignment.LowerRight);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        // Written beside the target and moved into place, so a failed write leaves no half-written file.
        string temporary = path + ".tmp.png";
        plot.SavePng(temporary, 800, 500);
        File.Move(temporary, path, overwrite: true);
    }
}
