using System.Security.Cryptography;
using System.Text;
using Graph.Runtime;
using Graph.Samples.Chapter06;
using Xunit;
using static Graph.Tests.Checkpoints.CheckpointFiles;

namespace Graph.Tests.Checkpoints;

/// <summary>
/// Save and Load against safetensors files written and read byte by byte here: the exact bytes Save writes, a file
/// from another writer (other order, no padding, no metadata), a round trip that resumes training bit for bit, and
/// every kind of bad file refused with the file and the problem named while the model keeps its values.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    /// <summary>Deletes the test's files.</summary>
    public void Dispose() => folder.Dispose();

    [Fact]
    public void SaveWritesTheSpecifiedBytes()
    {
        var net = new StreetlightsNetwork<double>(3);
        string path = folder.File("streetlights.safetensors");
        net.Save(path);

        byte[] body = Bytes(net.Parameters["Weights01"].Value.Concat(net.Parameters["Weights12"].Value));
        string sha = Convert.ToHexStringLower(SHA256.HashData(body));
        string json = "{\"__metadata__\":{\"graph.sha256\":\"" + sha + "\",\"graph.model\":\"StreetlightsNetwork\"},"
            + "\"Weights01\":{\"dtype\":\"F64\",\"shape\":[3,4],\"data_offsets\":[0,96]},"
            + "\"Weights12\":{\"dtype\":\"F64\",\"shape\":[4,1],\"data_offsets\":[96,128]}}";
        string padded = json.PadRight((json.Length + 7) / 8 * 8, ' ');
        Assert.Equal(Join(padded, body), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void AFileFromAnotherWriterLoads()
    {
        // Tensors in the other order, no metadata, no padding: all allowed by the specification.
        var weights01 = Enumerable.Range(0, 12).Select(i => (i * 0.25) - 1.5).ToArray();
        var weights12 = new[] { 0.5, -0.125, 3e-300, double.Epsilon };
        string header = "{\"Weights12\":{\"dtype\":\"F64\",\"shape\":[4,1],\"data_offsets\":[0,32]},"
            + "\"Weights01\":{\"shape\":[3,4],\"dtype\":\"F64\",\"data_offsets\":[32,128]}}";
        string path = folder.File("other.safetensors");
        File.WriteAllBytes(path, Join(header, Bytes(weights12.Concat(weights01))));

        var net = Trained(4, 2, Optimizer.Adam(0.01));
        net.Load(path);

        Assert.Equal(weights01, net.Parameters["Weights01"].Value);
        Assert.Equal(weights12, net.Parameters["Weights12"].Value);
        Assert.Null(net.OptimizerState.Kind);
        Assert.Equal(0, net.OptimizerState.Step);
    }

    public static TheoryData<string> OptimizerNames() => new("sgd", "nesterov", "adam", "adamw clipped, step decay");

    private static Optimizer Settings(string name) => name switch
    {
        "sgd" => Optimizer.Sgd(0.1),
        "nesterov" => Optimizer.SgdWithMomentum(0.05, 0.9, nesterov: true),
        "adam" => Optimizer.Adam(0.01),
        _ => Optimizer.AdamW(0.01, 0.1).ClipGradientNorm(0.5).WithSchedule(LearningRateSchedule.StepDecay(0.9)),
    };

    /// <summary>Training resumed from a checkpoint continues exactly as the run that saved it.</summary>
    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void ALoadedModelResumesTrainingBitForBit(string optimizer)
    {
        var settings = Settings(optimizer);
        var original = Trained(1, 3, settings);
        string path = folder.File("resume.safetensors");
        original.Save(path);

        var resumed = Trained(2, 1, Optimizer.Sgd(0.3));
        resumed.Load(path);
        Assert.Equal(original.OptimizerState.Step, resumed.OptimizerState.Step);
        Assert.Equal(original.OptimizerState.Kind, resumed.OptimizerState.Kind);
        for (int step = 0; step < 3; step++)
        {
            Assert.Equal(original.TrainStep(Lights, Walk, settings, 6), resumed.TrainStep(Lights, Walk, settings, 6));
        }

        for (int p = 0; p < original.Parameters.Count; p++)
        {
            Assert.Equal(original.Parameters[p].Value, resumed.Parameters[p].Value);
            for (int slot = 0; slot < OptimizerState<double>.SlotNames(settings.Kind).Count; slot++)
            {
                Assert.Equal(original.OptimizerState.Slot(p, slot).ToArray(), resumed.OptimizerState.Slot(p, slot).ToArray());
            }
        }
    }

    [Fact]
    public void AFloatModelRoundTrips()
    {
        var net = new StreetlightsNetwork<float>(5);
        float[] lights = Lights.Select(v => (float)v).ToArray();
        float[] walk = Walk.Select(v => (float)v).ToArray();
        net.TrainStep(lights, walk, Optimizer.Adam(0.01), 6);
        string path = folder.File("float.safetensors");
        net.Save(path);
        Assert.Contains("\"dtype\":\"F32\"", Split(File.ReadAllBytes(path)).Header, StringComparison.Ordinal);

        var copy = new StreetlightsNetwork<float>(6);
        copy.Load(path);
        Assert.Equal(net.Parameters["Weights01"].Value, copy.Parameters["Weights01"].Value);
        Assert.Equal(net.OptimizerState.Slot(1, 1).ToArray(), copy.OptimizerState.Slot(1, 1).ToArray());
    }

    /// <summary>A bad file, how it is made from a good one (header text and body), and what the message says.</summary>
    private static readonly Dictionary<string, (Func<string, byte[], byte[]> Corrupt, string Problem)> BadFiles = new()
    {
        ["unknown name"] = ((h, b) => Join(h.Replace("\"Weights12\"", "\"Weights13\"", StringComparison.Ordinal), b), "tensor 'Weights13' is not a parameter of this model"),
        ["wrong shape"] = ((h, b) => Join(h.Replace("[3,4]", "[4,3]", StringComparison.Ordinal), b), "has shape [4, 3] but the model's is [3, 4]"),
        ["truncated body"] = ((h, b) => Join(h, b[..^8]), "(a truncated file)"),
        ["truncated header"] = ((h, b) => Join(h, b)[..40], "the header length is"),
        ["shorter than a length"] = ((h, b) => Join(h, b)[..5], "fewer than the 8 of a safetensors header length"),
        ["header not an object"] = ((h, b) => Join("[" + h[1..], b), "the header does not begin with '{'"),
        ["header not JSON"] = ((h, b) => Join(h.Replace("\"dtype\":", "\"dtype:", StringComparison.Ordinal), b), "the header is not valid JSON"),
        ["corrupt body"] = ((h, b) => Join(h, Flip(b, 100)), "the body's SHA-256 is"),
        ["overlapping tensors"] = ((h, b) => Join(h.Replace("[96,128]", "[88,120]", StringComparison.Ordinal), b), "inside the tensor before it"),
        ["offsets against the shape"] = ((h, b) => Join(h.Replace("[96,128]", "[96,136]", StringComparison.Ordinal), b), "span 40"),
        ["unknown optimizer"] = ((h, b) => Join(h.Replace("\"Adam\"", "\"Adagrad\"", StringComparison.Ordinal), b), "'graph.optimizer' is 'Adagrad'"),
        ["slot of another optimizer"] = ((h, b) => Join(h.Replace("\"Adam\"", "\"Momentum\"", StringComparison.Ordinal), b), "is not a slot of the file's optimizer (Momentum)"),
        ["missing tensor"] = ((h, b) => Join("{\"Weights01\":{\"dtype\":\"F64\",\"shape\":[3,4],\"data_offsets\":[0,96]}}", b[..96]), "the file lacks tensor 'Weights12'"),
        ["name twice"] = ((h, b) => Join("{\"Weights01\":{\"dtype\":\"F64\",\"shape\":[3,4],\"data_offsets\":[0,96]},\"Weights01\":{\"dtype\":\"F64\",\"shape\":[3,4],\"data_offsets\":[96,192]}}", b[..192]), "the header names 'Weights01' twice"),
        ["metadata not strings"] = ((h, b) => Join(h.Replace("\"graph.optimizer_step\":\"2\"", "\"graph.optimizer_step\":2", StringComparison.Ordinal), b), "'__metadata__' field 'graph.optimizer_step' is not a string"),
    };

    public static TheoryData<string> BadFileNames() => new(BadFiles.Keys.Append("element type").Append("no such file").ToArray());

    [Theory]
    [MemberData(nameof(BadFileNames))]
    public void ABadFileIsRefusedAndTheModelKeepsItsValues(string bad)
    {
        string good = folder.File("good.safetensors");
        string path = folder.File("bad.safetensors");
        string problem;
        if (bad == "no such file")
        {
            problem = "there is no such file";
        }
        else if (bad == "element type")
        {
            new StreetlightsNetwork<float>(1).Save(path);
            problem = "tensor 'Weights01' holds F32 values but this model's are F64 (Double)";
        }
        else
        {
            Trained(1, 2, Optimizer.Adam(0.01)).Save(good);
            var (header, body) = Split(File.ReadAllBytes(good));
            Assert.Contains("\"graph.optimizer_step\":\"2\"", header, StringComparison.Ordinal);
            (var corrupt, problem) = BadFiles[bad];
            File.WriteAllBytes(path, corrupt(header, body));
        }

        var net = Trained(7, 1, Optimizer.SgdWithMomentum(0.1));
        var before = net.Parameters.Select(p => p.Value.ToArray()).ToList();
        var velocity = net.OptimizerState.Slot(0, 0).ToArray();

        var error = Assert.Throws<CheckpointException>(() => net.Load(path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(before, net.Parameters.Select(p => p.Value.ToArray()).ToList());
        Assert.Equal(OptimizerKind.Momentum, net.OptimizerState.Kind);
        Assert.Equal(1, net.OptimizerState.Step);
        Assert.Equal(velocity, net.OptimizerState.Slot(0, 0).ToArray());
    }

    [Fact]
    public void SaveReplacesTheFileAtomicallyAndLeavesNoTemporaryFile()
    {
        string path = folder.File("atomic.safetensors");
        new StreetlightsNetwork<double>(1).Save(path);
        var net = new StreetlightsNetwork<double>(2);
        net.Save(path);
        var copy = new StreetlightsNetwork<double>(3);
        copy.Load(path);
        Assert.Equal(net.Parameters["Weights01"].Value, copy.Parameters["Weights01"].Value);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));

        // A save that cannot be renamed into place (the name is a folder) fails and removes its temporary file.
        string taken = folder.CreateDirectory("taken");
        Assert.ThrowsAny<IOException>(() => net.Save(taken));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    private static byte[] Flip(byte[] body, int index)
    {
        var copy = body.ToArray();
        copy[index] ^= 0x10;
        return copy;
    }
}
