using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Graph.Runtime;

/// <summary>
/// Saves and loads a model's parameters, and its optimizer state, as one safetensors file
/// (https://huggingface.co/docs/safetensors), the format the Hugging Face and PyTorch ecosystems read. Each parameter
/// is a tensor under its own name (<c>F32</c> for a float model, <c>F64</c> for a double one, its shape from the
/// model); the optimizer's moments are tensors named <c>optimizer.{parameter}.{slot}</c> with PyTorch's slot names
/// (<c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>), and <c>__metadata__</c> holds Graph's own fields: the
/// SHA-256 of the body (<c>graph.sha256</c>), the model's class (<c>graph.model</c>), the optimizer's rule and step count
/// (<c>graph.optimizer</c>, <c>graph.optimizer_step</c>).
/// </summary>
/// <remarks>
/// One file rather than two: a single rename replaces weights and state together, so a crash can never leave a
/// model's weights beside another step's moments, and a reader that wants only the weights takes the tensors it knows.
/// A save writes a temporary file in the target's folder, flushes it to disk and renames it over the target, so the
/// target holds either the old checkpoint or the new one. A load reads and checks the whole file (the format's rules,
/// every name, shape and element type against the model, the checksum when there is one) before it writes anything,
/// so a refused file leaves the model as it was.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The metadata field holding the SHA-256 of the body, in lowercase hexadecimal.</summary>
    public const string ChecksumField = "graph.sha256";

    /// <summary>The metadata field naming the model's class.</summary>
    public const string ModelField = "graph.model";

    /// <summary>The metadata field naming the optimizer's rule (an <see cref="OptimizerKind"/>), present when the state holds steps.</summary>
    public const string OptimizerField = "graph.optimizer";

    /// <summary>The metadata field holding the optimizer's step count.</summary>
    public const string StepField = "graph.optimizer_step";

    /// <summary>The prefix of the optimizer's tensors: <c>optimizer.{parameter}.{slot}</c>.</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>
    /// Writes <paramref name="parameters"/> and, when it holds steps, <paramref name="state"/> to
    /// <paramref name="path"/> atomically (a temporary file beside it, flushed to disk, then renamed over it).
    /// </summary>
    /// <param name="model">The model's class name, recorded in the metadata.</param>
    /// <exception cref="NotSupportedException">The element type is not float, double or Half.</exception>
    public static void Save<T>(string path, ParameterSet<T> parameters, OptimizerState<T>? state = null, string? model = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parameters);
        string dtype = DType<T>();
        var tensors = Tensors(parameters, state).ToList();
        var entries = new List<SafetensorsEntry>(tensors.Count);
        long offset = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, shape, values) in tensors)
        {
            var bytes = MemoryMarshal.AsBytes(values.Span);
            entries.Add(new SafetensorsEntry(name, dtype, shape, offset, offset + bytes.Length));
            offset += bytes.Length;
            hash.AppendData(bytes);
        }

        var metadata = new List<KeyValuePair<string, string>> { new(ChecksumField, Convert.ToHexStringLower(hash.GetCurrentHash())) };
        if (model is not null)
        {
            metadata.Add(new(ModelField, model));
        }

        if (state?.Kind is OptimizerKind kind)
        {
            metadata.Add(new(OptimizerField, kind.ToString()));
            metadata.Add(new(StepField, state.Step.ToString(CultureInfo.InvariantCulture)));
        }

        byte[] header = SafetensorsFile.Header(entries, metadata);
        string target = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(header);
                foreach (var (_, _, values) in tensors)
                {
                    stream.Write(MemoryMarshal.AsBytes(values.Span));
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="parameters"/> and <paramref name="state"/>: every parameter
    /// must be there with the model's shape and element type, and nothing else but the optimizer state's tensors. A
    /// file without optimizer state resets <paramref name="state"/>.
    /// </summary>
    /// <exception cref="CheckpointException">There is no such file, or it is not a valid safetensors file or does not fit the model; nothing was changed.</exception>
    public static void Load<T>(string path, ParameterSet<T> parameters, OptimizerState<T>? state = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parameters);
        string dtype = DType<T>();
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException(path, "there is no such file", e);
        }

        var (entries, metadata, body) = SafetensorsFile.Read(path, file);
        if (metadata.TryGetValue(ChecksumField, out string? checksum))
        {
            string actual = Convert.ToHexStringLower(SHA256.HashData(body.Span));
            if (!string.Equals(checksum, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new CheckpointException(path, $"the body's SHA-256 is {actual} but the header records {checksum} (the data is corrupt)");
            }
        }

        OptimizerKind? kind = null;
        long step = 0;
        if (metadata.TryGetValue(OptimizerField, out string? rule))
        {
            if (state is null)
            {
                throw new CheckpointException(path, $"the file holds {rule} optimizer state but this model has no training step to use it");
            }

            kind = Enum.TryParse(rule, ignoreCase: false, out OptimizerKind parsed) && Enum.IsDefined(parsed) ? parsed
                : throw new CheckpointException(path, $"'{OptimizerField}' is '{rule}', not one of {string.Join(", ", Enum.GetNames<OptimizerKind>())}");
            if (!metadata.TryGetValue(StepField, out string? steps) || !long.TryParse(steps, NumberStyles.None, CultureInfo.InvariantCulture, out step))
            {
                throw new CheckpointException(path, $"'{StepField}' must hold the optimizer's step count, a non-negative integer, not '{steps}'");
            }
        }

        var expected = Expected(parameters, kind);
        var byName = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!expected.TryGetValue(entry.Name, out var shape))
            {
                throw new CheckpointException(path, entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)
                    ? $"tensor '{entry.Name}' is not a slot of the file's optimizer ({kind?.ToString() ?? "none"}) for a trainable parameter of this model"
                    : $"tensor '{entry.Name}' is not a parameter of this model (its parameters: {string.Join(", ", parameters.Select(p => p.Name))})");
            }

            if (entry.DType != dtype)
            {
                throw new CheckpointException(path, $"tensor '{entry.Name}' holds {entry.DType} values but this model's are {dtype} ({typeof(T).Name})");
            }

            if (!entry.Shape.SequenceEqual(shape))
            {
                throw new CheckpointException(path, $"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}] but the model's is [{string.Join(", ", shape)}]");
            }

            byName.Add(entry.Name, entry);
        }

        var missing = expected.Keys.Where(name => !byName.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new CheckpointException(path, $"the file lacks {(missing.Count == 1 ? "tensor" : "tensors")} {string.Join(", ", missing.Select(n => $"'{n}'"))}");
        }

        // Everything is checked: only now does the model change.
        ReadOnlySpan<byte> Bytes(string name) => body.Span[(int)byName[name].Begin..(int)byName[name].End];
        foreach (var parameter in parameters)
        {
            Bytes(parameter.Name).CopyTo(MemoryMarshal.AsBytes(parameter.Value.AsSpan()));
        }

        if (state is not null)
        {
            var slotNames = kind is OptimizerKind k ? OptimizerState<T>.SlotNames(k) : [];
            state.Restore(kind, step, (p, s) => MemoryMarshal.Cast<byte, T>(Bytes(SlotName(parameters[p].Name, slotNames[s]))).ToArray());
        }
    }

    /// <summary>The name of slot <paramref name="slot"/> of <paramref name="parameter"/>'s optimizer state in a checkpoint.</summary>
    public static string SlotName(string parameter, string slot) => $"{OptimizerPrefix}{parameter}.{slot}";

    private static IEnumerable<(string Name, long[] Shape, ReadOnlyMemory<T> Values)> Tensors<T>(ParameterSet<T> parameters, OptimizerState<T>? state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var parameter in parameters)
        {
            yield return (parameter.Name, Shape(parameter), parameter.Value);
        }

        if (state?.Kind is not OptimizerKind kind)
        {
            yield break;
        }

        var slots = OptimizerState<T>.SlotNames(kind);
        for (int p = 0; p < parameters.Count; p++)
        {
            if (parameters[p].IsFrozen)
            {
                continue;
            }

            for (int s = 0; s < slots.Count; s++)
            {
                yield return (SlotName(parameters[p].Name, slots[s]), Shape(parameters[p]), state.Slot(p, s).ToArray());
            }
        }
    }

    /// <summary>Every tensor name a file for this model (with optimizer <paramref name="kind"/>) must hold, and its shape.</summary>
    private static Dictionary<string, long[]> Expected<T>(ParameterSet<T> parameters, OptimizerKind? kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var expected = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            expected.Add(parameter.Name, Shape(parameter));
        }

        if (kind is OptimizerKind rule)
        {
            foreach (var parameter in parameters.Where(p => !p.IsFrozen))
            {
                foreach (string slot in OptimizerState<T>.SlotNames(rule))
                {
                    expected.Add(SlotName(parameter.Name, slot), Shape(parameter));
                }
            }
        }

        return expected;
    }

    private static long[] Shape<T>(Parameter<T> parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new long[parameter.Shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = parameter.Shape[i];
        }

        return shape;
    }

    /// <summary>The safetensors dtype of <typeparamref name="T"/>; the data is written as the machine holds it, which must be little-endian.</summary>
    private static string DType<T>()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are written and read on little-endian machines only (safetensors data is little-endian).");
        }

        return typeof(T) == typeof(float) ? "F32"
            : typeof(T) == typeof(double) ? "F64"
            : typeof(T) == typeof(Half) ? "F16"
            : throw new NotSupportedException($"Checkpoints hold float, double or Half values, not {typeof(T).Name}.");
    }
}
