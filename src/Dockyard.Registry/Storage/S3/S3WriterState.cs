using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Registry.Storage.S3;

/// <summary>
/// What an uncommitted append writer has stored so far, kept in one small S3 object (the state object) so that
/// any replica can resume or read it: the segment objects holding the bytes up to the tail, and the tail itself.
/// </summary>
/// <remarks>
/// Wire format: 4-byte big-endian header length, the JSON header, then the tail bytes. One PutObject replaces it
/// whole, so the header and the tail always agree.
/// </remarks>
internal sealed record S3WriterState
{
    private const int MaxHeaderLength = 1024 * 1024;

    /// <summary>Names this writer incarnation's segment objects, so a truncated file never reuses stale ones.</summary>
    [JsonPropertyName("generation")]
    public required string Generation { get; init; }

    /// <summary>Sizes of segment objects 1..n, in order; each is at least 5 MiB, so each can be a multipart part.</summary>
    [JsonPropertyName("segments")]
    public required IReadOnlyList<long> Segments { get; init; }

    [JsonIgnore]
    public ReadOnlyMemory<byte> Tail { get; init; }

    [JsonIgnore]
    public long Size => Segments.Sum() + Tail.Length;

    public static S3WriterState Empty() => new() { Generation = Guid.NewGuid().ToString("N"), Segments = [] };

    public byte[] Serialize()
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(this, S3JsonContext.Default.S3WriterState);
        var bytes = new byte[4 + header.Length + Tail.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, header.Length);
        header.CopyTo(bytes.AsSpan(4));
        Tail.Span.CopyTo(bytes.AsSpan(4 + header.Length));
        return bytes;
    }

    /// <exception cref="InvalidDataException">Not a state object.</exception>
    public static S3WriterState Deserialize(byte[] bytes)
    {
        if (bytes.Length < 4 || BinaryPrimitives.ReadInt32BigEndian(bytes) is var headerLength && (headerLength < 2 || headerLength > MaxHeaderLength || headerLength > bytes.Length - 4))
        {
            throw new InvalidDataException("Malformed S3 writer state object.");
        }

        S3WriterState? state;
        try
        {
            state = JsonSerializer.Deserialize(bytes.AsSpan(4, headerLength), S3JsonContext.Default.S3WriterState);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("Malformed S3 writer state object.", ex);
        }

        if (state is null || state.Segments.Any(size => size <= 0))
        {
            throw new InvalidDataException("Malformed S3 writer state object.");
        }

        return state with { Tail = bytes.AsMemory(4 + headerLength) };
    }
}
