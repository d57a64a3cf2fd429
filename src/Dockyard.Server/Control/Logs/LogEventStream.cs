using Dockyard.Control.Engines;
using Dockyard.Control.Logs;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// A container log as Server-Sent Events:
/// <list type="bullet">
/// <item>each line: <c>data: {"stream":"stdout","time":"…"|null,"text":"…"}</c>, with <c>"truncated":true</c> when the
/// line was longer than <see cref="ContainerLogService.MaxViewLineBytes"/> and its rest was dropped;</item>
/// <item><c>event: dropped</c> <c>{"count":n}</c>: n lines were skipped here because the client read slower than the
/// container wrote;</item>
/// <item><c>: heartbeat</c> comments every <see cref="HeartbeatInterval"/>;</item>
/// <item><c>event: end</c> with a <see cref="LogStreamEnd"/> as the last event.</item>
/// </list>
/// The engine is read by its own task into a bounded queue of <see cref="ChannelCapacity"/> events
/// (<see cref="LogEventQueue"/>), and the response is written from it. When the queue is full the reader does not
/// wait (that would only move the backlog into the engine connection): it counts the lines it drops, reported as one
/// <c>dropped</c> event where they were missing.
/// So a follower's memory is bounded by the channel whatever the container writes. When the client leaves, the
/// reader is cancelled, which closes the engine connection.
/// </summary>
internal sealed partial class LogEventStream(TimeProvider time, ILogger<LogEventStream> logger)
{
    /// <summary>Events held for one client between the engine and the response (each line at most a few KiB).</summary>
    public const int ChannelCapacity = 1024;

    /// <summary>Unflushed bytes after which the writer flushes in the middle of a burst.</summary>
    private const int FlushThreshold = 32 * 1024;

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>Streams <paramref name="source"/> to <paramref name="response"/> until the end event or the client leaves.</summary>
    public async Task RunAsync(HttpResponse response, ContainerLogSource source, CancellationToken aborted)
    {
        ServerSentEventWriter.Start(response);
        var queue = new LogEventQueue(ChannelCapacity);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var reader = ReadEngineAsync(source, queue, stop.Token);
        using var heartbeat = time.CreateTimer(static state => ((LogEventQueue)state!).OfferHeartbeat(), queue, HeartbeatInterval, HeartbeatInterval);
        using var sse = new ServerSentEventWriter(response);
        try
        {
            await WriteAsync(sse, queue, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left.
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
            LogClosed(logger, source.Target.Name, source.Target.Engine.Name);
        }
    }

    private static async Task WriteAsync(ServerSentEventWriter sse, LogEventQueue queue, CancellationToken aborted)
    {
        // A comment first, so the client sees the stream open before the first line.
        sse.Comment("open"u8);
        if (!await sse.FlushAsync(aborted))
        {
            return;
        }

        var events = queue.Reader;
        while (await events.WaitToReadAsync(aborted))
        {
            while (events.TryRead(out var item))
            {
                if (item.Line is { } line)
                {
                    WriteLine(sse, line, item.Truncated);
                }
                else if (item.Dropped > 0)
                {
                    WriteDropped(sse, item.Dropped);
                }
                else if (item.End is { } end)
                {
                    end.WriteTo(sse.BeginEvent("end"u8));
                    sse.EndEvent();
                    await sse.FlushAsync(aborted);
                    return;
                }
                else
                {
                    sse.Comment("heartbeat"u8);
                }

                if (sse.Unflushed >= FlushThreshold && !await sse.FlushAsync(aborted))
                {
                    return;
                }
            }

            // Caught up: lines dropped since the last one sent can be reported here, in place.
            if (queue.TakeDroppedIfEmpty() is > 0 and var dropped)
            {
                WriteDropped(sse, dropped);
            }

            if (!await sse.FlushAsync(aborted))
            {
                return;
            }
        }
    }

    private static void WriteLine(ServerSentEventWriter sse, LogLine line, bool truncated)
    {
        var json = sse.BeginEvent(default);
        json.WriteStartObject();
        json.WriteString("stream"u8, line.Stream == LogStreamKind.Stderr ? "stderr"u8 : "stdout"u8);
        if (line.Timestamp is { } timestamp)
        {
            json.WriteString("time"u8, timestamp);
        }
        else
        {
            json.WriteNull("time"u8);
        }

        json.WriteString("text"u8, line.Text);
        if (truncated)
        {
            json.WriteBoolean("truncated"u8, true);
        }

        json.WriteEndObject();
        sse.EndEvent();
    }

    private static void WriteDropped(ServerSentEventWriter sse, long count)
    {
        var json = sse.BeginEvent("dropped"u8);
        json.WriteStartObject();
        json.WriteNumber("count"u8, count);
        json.WriteEndObject();
        sse.EndEvent();
    }

    /// <summary>Reads the engine into <paramref name="queue"/> without waiting for the client; ends with an end event unless cancelled.</summary>
    private async Task ReadEngineAsync(ContainerLogSource source, LogEventQueue queue, CancellationToken cancellationToken)
    {
        // Yield first so the caller starts writing while the engine is asked.
        await Task.Yield();
        var cutter = new LineCutter();
        try
        {
            LogStreamEnd end;
            try
            {
                await foreach (var line in source.ReadAsync(cancellationToken))
                {
                    if (cutter.Keep(line, out var truncated))
                    {
                        queue.Offer(LogEvent.Of(line, truncated));
                    }
                }

                end = await ContainerLogService.EndOfAsync(source, cancellationToken);
            }
            catch (EngineApiException error)
            {
                end = LogStreamEnd.Error(error.Message);
            }

            await queue.EndAsync(end, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The client left (however the cancelled read ends): the enumerator was disposed, closing the engine connection.
            queue.Complete();
        }
        catch (Exception error)
        {
            LogReaderFailed(logger, error, source.Target.Name);
            queue.Complete(LogStreamEnd.Error("reading the log failed"));
        }
    }

    [LoggerMessage(EventId = 4580, Level = LogLevel.Debug, Message = "Log stream of container {Container} on engine {Engine} closed")]
    private static partial void LogClosed(ILogger logger, string container, string engine);

    [LoggerMessage(EventId = 4582, Level = LogLevel.Error, Message = "Reading the log of container {Container} failed")]
    private static partial void LogReaderFailed(ILogger logger, Exception error, string container);
}
