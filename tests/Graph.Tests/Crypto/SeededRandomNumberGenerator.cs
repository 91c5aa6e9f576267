using System.Security.Cryptography;

namespace Graph.Tests.Crypto;

/// <summary>A reproducible stand-in for a secure generator, so that property tests draw the same keys on every run.</summary>
public sealed class SeededRandomNumberGenerator(int seed) : RandomNumberGenerator
{
    private readonly Random random = new(seed);

    public override void GetBytes(byte[] data) => random.NextBytes(data);

    public override void GetBytes(Span<byte> data) => random.NextBytes(data);

    public override void GetNonZeroBytes(byte[] data) => GetNonZeroBytes(data.AsSpan());

    public override void GetNonZeroBytes(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)random.Next(1, 256);
        }
    }
}
