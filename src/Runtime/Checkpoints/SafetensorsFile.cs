using System.Buffers.Binary;
using System.Text.Json;

namespace Graph.Runtime;

/// <summary>One tensor of a safetensors file: its name, element type, shape and byte range in the body.</summary>
internal sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian unsigned header length
/// N, N bytes of UTF-8 JSON that begin with <c>{</c> and may end in spaces, then the body. The JSON maps each tensor's
/// name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets into the body) and may hold
/// <c>"__metadata__"</c>, a map of strings to strings. Every byte of the body belongs to exactly one tensor, in C order,
/// little-endian. This class reads and checks a header completely before anything uses it, and writes one with its
/// length padded to a multiple of 8 as the reference writer does.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>The reference implementation refuses headers above 100 MB.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>The bytes per element of the element types Graph reads and writes.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    /// <summary>The header and body of a whole file, every rule of the format checked.</summary>
    /// <exception cref="CheckpointException">The file breaks a rule of the format.</exception>
    public static (IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, ReadOnlyMemory<byte> Body) Read(string path, byte[] file)
    {
        if (file.Length < 8)
        {
            throw new CheckpointException(path, $"the file holds {file.Length} bytes, fewer than the 8 of a safetensors header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8))
        {
            throw new CheckpointException(path, $"the header length is {headerLength} bytes but only {file.Length - 8} follow it (a truncated file, or not a safetensors file)");
        }

        if (headerLength > MaxHeaderLength)
        {
            throw new CheckpointException(path, $"the header length is {headerLength} bytes, above safetensors' limit of {MaxHeaderLength}");
        }

        int length = (int)headerLength;
        var header = file.AsSpan(8, length);
        if (length == 0 || header[0] != (byte)'{')
        {
            throw new CheckpointException(path, "the header does not begin with '{'");
        }

        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(file.AsMemory(8, length), new JsonDocumentOptions { MaxDepth = 8 });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(path, "the header is not a JSON object");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new CheckpointException(path, $"the header names '{property.Name}' twice");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(path, property.Name, property.Value));
                }
            }
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"the header is not valid JSON ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(path, $"the header is not valid UTF-8 JSON ({e.Message})", e);
        }

        var body = file.AsMemory(8 + length);
        CheckOffsets(path, entries, body.Length);
        return (entries, metadata, body);
    }

    /// <summary>A header for <paramref name="entries"/> (in this order, offsets as given) and <paramref name="metadata"/>, padded with spaces to a multiple of 8 bytes, after its length.</summary>
    public static byte[] Header(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            foreach (var entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType);
                json.WriteStartArray("shape");
                foreach (long dim in entry.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int length = (int)buffer.Length;
        int padded = (length + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        buffer.GetBuffer().AsSpan(0, length).CopyTo(header.AsSpan(8));
        header.AsSpan(8 + length).Fill((byte)' ');
        return header;
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException(path, $"'{MetadataKey}' is not an object of strings");
        }

        foreach (var field in value.EnumerateObject())
        {
            if (field.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointException(path, $"'{MetadataKey}' field '{field.Name}' is not a string");
            }

            if (!metadata.TryAdd(field.Name, field.Value.GetString()!))
            {
                throw new CheckpointException(path, $"'{MetadataKey}' names '{field.Name}' twice");
            }
        }
    }

    private static SafetensorsEntry ReadEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException(path, $"tensor '{name}' is not described by an object");
        }

        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when field.Value.ValueKind == JsonValueKind.String && dtype is null:
                    dtype = field.Value.GetString();
                    break;
                case "shape" when shape is null:
                    shape = Integers(path, name, "shape", field.Value);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = Integers(path, name, "data_offsets", field.Value);
                    break;
                default:
                    throw new CheckpointException(path, $"tensor '{name}' has an unexpected or repeated field '{field.Name}' (a tensor has dtype, shape and data_offsets)");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw new CheckpointException(path, $"tensor '{name}' lacks {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}");
        }

        if (ElementSize(dtype) == 0)
        {
            throw new CheckpointException(path, $"tensor '{name}' has the unknown dtype '{dtype}'");
        }

        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw new CheckpointException(path, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}], not [begin, end] with begin <= end");
        }

        long elements = 1;
        foreach (long dim in shape)
        {
            elements = dim == 0 || elements <= long.MaxValue / 8 / Math.Max(dim, 1) ? elements * dim
                : throw new CheckpointException(path, $"tensor '{name}' has a shape too large to address: [{string.Join(", ", shape)}]");
        }

        long bytes = elements * ElementSize(dtype);
        if (offsets[1] - offsets[0] != bytes)
        {
            throw new CheckpointException(path, $"tensor '{name}' is {dtype} [{string.Join(", ", shape)}], {bytes} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}");
        }

        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] Integers(string path, string name, string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new CheckpointException(path, $"tensor '{name}' has a {field} that is not an array of integers");
        }

        var numbers = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
            {
                throw new CheckpointException(path, $"tensor '{name}' has a {field} that is not an array of non-negative integers ({item.GetRawText()})");
            }

            numbers.Add(number);
        }

        return numbers.ToArray();
    }

    /// <summary>The tensors' byte ranges, in order of their offsets, must cover the body exactly: no gap, no overlap, nothing past the end.</summary>
    private static void CheckOffsets(string path, List<SafetensorsEntry> entries, int bodyLength)
    {
        long next = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != next)
            {
                throw new CheckpointException(path, entry.Begin > next
                    ? $"tensor '{entry.Name}' begins at byte {entry.Begin} of the body, leaving bytes {next} to {entry.Begin} unused"
                    : $"tensor '{entry.Name}' begins at byte {entry.Begin} of the body, inside the tensor before it (which ends at {next})");
            }

            next = entry.End;
        }

        if (next != bodyLength)
        {
            throw new CheckpointException(path, next > bodyLength
                ? $"the tensors need {next} bytes of data but the body holds {bodyLength} (a truncated file)"
                : $"the body holds {bodyLength} bytes but the tensors use only {next} (trailing data)");
        }
    }
}
