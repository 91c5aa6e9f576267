using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Graph.Runtime;
using Graph.Samples.Chapter06;
using Xunit;
using static Graph.Tests.Checkpoints.CheckpointFiles;

namespace Graph.Tests.Checkpoints;

/// <summary>
/// Checkpoints against an independent safetensors reader and writer written from the specification with json and
/// numpy (<c>safetensors_numpy.py</c>): a file Graph writes reads there with every value exact, and a file written
/// there loads here.
/// </summary>
public sealed class PythonSafetensorsTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    /// <summary>Deletes the test's files.</summary>
    public void Dispose() => folder.Dispose();

    [PythonNumpyFact]
    public void NumpyReadsACheckpointExactly()
    {
        var net = Trained(1, 3, Optimizer.Adam(0.01));
        string path = folder.File("graph.safetensors");
        net.Save(path);

        using var read = JsonDocument.Parse(PythonNumpy.Script(["read", path]));
        var tensors = read.RootElement.GetProperty("tensors");
        var metadata = read.RootElement.GetProperty("metadata");
        Assert.Equal("Adam", metadata.GetProperty(Checkpoint.OptimizerField).GetString());
        Assert.Equal("3", metadata.GetProperty(Checkpoint.StepField).GetString());
        Assert.Equal(2 + (2 * 2), tensors.EnumerateObject().Count());
        for (int p = 0; p < net.Parameters.Count; p++)
        {
            var parameter = net.Parameters[p];
            AssertTensor(tensors.GetProperty(parameter.Name), "F64", parameter.Shape.ToArray(), parameter.Value);
            AssertTensor(tensors.GetProperty(Checkpoint.SlotName(parameter.Name, "exp_avg")), "F64", parameter.Shape.ToArray(), net.OptimizerState.Slot(p, 0).ToArray());
            AssertTensor(tensors.GetProperty(Checkpoint.SlotName(parameter.Name, "exp_avg_sq")), "F64", parameter.Shape.ToArray(), net.OptimizerState.Slot(p, 1).ToArray());
        }
    }

    [PythonNumpyFact]
    public void ACheckpointWrittenByNumpyLoads()
    {
        var weights01 = Enumerable.Range(0, 12).Select(i => Math.Sin(i) / 3).ToArray();
        var weights12 = Enumerable.Range(0, 4).Select(i => Math.Cos(i) * 1e-3).ToArray();
        string path = folder.File("numpy.safetensors");
        Write(path, "F64", weights01, weights12);
        var net = new StreetlightsNetwork<double>(9);
        net.Load(path);
        Assert.Equal(weights01, net.Parameters["Weights01"].Value);
        Assert.Equal(weights12, net.Parameters["Weights12"].Value);

        string single = folder.File("numpy32.safetensors");
        Write(single, "F32", weights01, weights12);
        var small = new StreetlightsNetwork<float>(9);
        small.Load(single);
        Assert.Equal(weights01.Select(v => (float)v), small.Parameters["Weights01"].Value);
        Assert.Equal(weights12.Select(v => (float)v), small.Parameters["Weights12"].Value);
    }

    private static void Write(string path, string dtype, double[] weights01, double[] weights12)
    {
        var spec = new JsonObject
        {
            ["metadata"] = new JsonObject { ["format"] = "np" },
            ["tensors"] = new JsonArray(Tensor("Weights01", dtype, [3, 4], weights01), Tensor("Weights12", dtype, [4, 1], weights12)),
        };
        PythonNumpy.Script(["write", path], spec.ToJsonString());
    }

    private static JsonObject Tensor(string name, string dtype, int[] shape, double[] values) => new()
    {
        ["name"] = name,
        ["dtype"] = dtype,
        ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
        ["values"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
    };

    private static void AssertTensor(JsonElement tensor, string dtype, int[] shape, double[] values)
    {
        Assert.Equal(dtype, tensor.GetProperty("dtype").GetString());
        Assert.Equal(shape, tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var read = tensor.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)), read.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }
}
