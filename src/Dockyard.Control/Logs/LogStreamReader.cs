using System.Buffers;
using System.Runtime.CompilerServices;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Logs;

/// <summary>
/// Reads log lines from an engine stream as the caller consumes them: one pooled read buffer, the demultiplexer and
/// the line assembler, so memory stays bounded however fast the container writes (a slow consumer slows the reads,
/// and TCP/unix-socket back-pressure slows the engine).
/// </summary>
internal static class LogStreamReader
{
    private const int ReadBufferBytes = 16 * 1024;

    /// <summary>
    /// Yields the lines of <paramref name="stream"/>: multiplexed frames, or raw bytes when <paramref name="tty"/>.
    /// A last line without a newline is delivered when the stream ends. Failures are <see cref="EngineApiException"/>s
    /// of <paramref name="engine"/>; cancellation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async IAsyncEnumerable<LogLine> ReadLinesAsync(
        Stream stream, bool tty, bool timestamps, int maxLineBytes, string engine, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoder = new MultiplexedFrameDecoder(raw: tty);
        using var assembler = new LogLineAssembler(maxLineBytes, timestamps);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            while (true)
            {
                var read = await ReadAsync(stream, buffer, engine, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                try
                {
                    decoder.Decode(buffer.AsSpan(0, read), assembler);
                }
                catch (InvalidDataException ex)
                {
                    throw new EngineApiException(engine, EngineErrorKind.Failed, null, ex.Message, ex);
                }

                for (var i = 0; i < assembler.Output.Count; i++)
                {
                    yield return assembler.Output[i];
                }

                assembler.Output.Clear();
            }

            assembler.Flush();
            foreach (var line in assembler.Output)
            {
                yield return line;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<int> ReadAsync(Stream stream, byte[] buffer, string engine, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(buffer.AsMemory(0, ReadBufferBytes), cancellationToken);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineApiException(engine, EngineErrorKind.Unavailable, null, "the stream broke: " + ex.Message, ex);
        }
    }
}
