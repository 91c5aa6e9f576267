using System.Buffers.Binary;
using System.Text;
using Graph.Runtime;
using Graph.Samples.Chapter06;

namespace Graph.Tests.Checkpoints;

/// <summary>The small model the checkpoint tests save and load, its data, and safetensors files taken apart and put together by hand.</summary>
internal static class CheckpointFiles
{
    public static readonly double[] Lights = [1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1];
    public static readonly double[] Walk = [0, 1, 0, 1, 1, 0];

    /// <summary>The book's streetlights network (Weights01 [3,4], Weights12 [4,1]) after <paramref name="steps"/> full-batch steps of <paramref name="optimizer"/>.</summary>
    public static StreetlightsNetwork<double> Trained(int seed, int steps, Optimizer optimizer)
    {
        var net = new StreetlightsNetwork<double>(seed);
        for (int i = 0; i < steps; i++)
        {
            net.TrainStep(Lights, Walk, optimizer, batch: 6);
        }

        return net;
    }

    /// <summary>A file's header text (padding kept) and body.</summary>
    public static (string Header, byte[] Body) Split(byte[] file)
    {
        int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        return (Encoding.UTF8.GetString(file, 8, length), file[(8 + length)..]);
    }

    /// <summary>The bytes of a safetensors file: the header's length (8 bytes, little-endian), the header, the body.</summary>
    public static byte[] Join(string header, byte[] body)
    {
        byte[] text = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + text.Length + body.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)text.Length);
        text.CopyTo(file, 8);
        body.CopyTo(file, 8 + text.Length);
        return file;
    }

    /// <summary>Doubles as little-endian bytes.</summary>
    public static byte[] Bytes(IEnumerable<double> values)
    {
        var list = values.ToList();
        var bytes = new byte[list.Count * 8];
        for (int i = 0; i < list.Count; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), list[i]);
        }

        return bytes;
    }
}
