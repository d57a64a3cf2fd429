using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dockyard.Control.Engines;

/// <summary>
/// Reads the engine's newline-delimited JSON streams (events, stats): dockerd writes each document with Go's
/// <c>json.Encoder</c>, compact and followed by <c>\n</c>, so a newline always ends a document (JSON strings escape
/// theirs). Each document is yielded as soon as its newline arrives, never one behind. Memory is bounded by
/// <see cref="MaxDocumentBytes"/>: a longer line fails the stream instead of growing without end.
/// </summary>
internal static class JsonLinesReader
{
    /// <summary>Upper bound for one document (a stats document is ~2–5 KiB, an event under 1 KiB).</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    public static async IAsyncEnumerable<T> ReadAsync<T>(
        Stream stream, JsonTypeInfo<T> type, string engine, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(cancellationToken);
                }
                catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new EngineApiException(engine, EngineErrorKind.Unavailable, null, "the stream broke: " + ex.Message, ex);
                }

                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                {
                    if (!IsBlank(line))
                    {
                        yield return Parse(line, type, engine);
                    }
                }

                if (buffer.Length > MaxDocumentBytes)
                {
                    throw new EngineApiException(engine, EngineErrorKind.Failed, null, $"sent a JSON document longer than {MaxDocumentBytes} bytes");
                }

                if (result.IsCompleted)
                {
                    if (!IsBlank(buffer))
                    {
                        yield return Parse(buffer, type, engine);
                    }

                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static T Parse<T>(ReadOnlySequence<byte> line, JsonTypeInfo<T> type, string engine)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            return JsonSerializer.Deserialize(ref reader, type)
                ?? throw new EngineApiException(engine, EngineErrorKind.Failed, null, "sent a null JSON document");
        }
        catch (JsonException ex)
        {
            throw new EngineApiException(engine, EngineErrorKind.Failed, null, "sent JSON that could not be read: " + ex.Message, ex);
        }
    }
}
