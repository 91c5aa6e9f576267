using System.Numerics;
using Graph.Runtime;

namespace Graph.Distributed.Ranks;

/// <summary>A training run's losses and final parameter values, as doubles (exactly, for float runs too), in one binary file.</summary>
public sealed record ResultFile(double[] Losses, double[] Values)
{
    public static void Write<T>(string path, IReadOnlyList<double> losses, ParameterSet<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = parameters.SelectMany(p => p.Value).Select(double.CreateChecked).ToArray();
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(losses.Count);
        foreach (double loss in losses)
        {
            writer.Write(loss);
        }

        writer.Write(values.Length);
        foreach (double value in values)
        {
            writer.Write(value);
        }
    }

    public static ResultFile Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var losses = new double[reader.ReadInt32()];
        for (int i = 0; i < losses.Length; i++)
        {
            losses[i] = reader.ReadDouble();
        }

        var values = new double[reader.ReadInt32()];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadDouble();
        }

        return new ResultFile(losses, values);
    }
}
