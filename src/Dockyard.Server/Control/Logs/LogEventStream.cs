using System.Threading.Channels;
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
/// The engine is read by its own task into a bounded channel of <see cref="ChannelCapacity"/> events, and the
/// response is written from it. When the channel is full the reader does not wait (that would only move the backlog
/// into the engine connection): it counts the lines it drops and queues one <c>dropped</c> event once there is room.
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
        var channel = Channel.CreateBounded<LogEvent>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var reader = ReadEngineAsync(source, channel.Writer, stop.Token);
        using var heartbeat = time.CreateTimer(static state => ((ChannelWriter<LogEvent>)state!).TryWrite(LogEvent.Heartbeat), channel.Writer, HeartbeatInterval, HeartbeatInterval);
        using var sse = new ServerSentEventWriter(response);
        try
        {
            await WriteAsync(sse, channel.Reader, aborted);
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

    private static async Task WriteAsync(ServerSentEventWriter sse, ChannelReader<LogEvent> events, CancellationToken aborted)
    {
        // An empty comment first, so the client sees the stream open before the first line.
        sse.Comment("open"u8);
        if (!await sse.FlushAsync(aborted))
        {
            return;
        }

        while (await events.WaitToReadAsync(aborted))
        {
            while (events.TryRead(out var item))
            {
                if (item.Line is { } line)
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
                    if (item.Truncated)
                    {
                        json.WriteBoolean("truncated"u8, true);
                    }

                    json.WriteEndObject();
                    sse.EndEvent();
                }
                else if (item.Dropped > 0)
                {
                    var json = sse.BeginEvent("dropped"u8);
                    json.WriteStartObject();
                    json.WriteNumber("count"u8, item.Dropped);
                    json.WriteEndObject();
                    sse.EndEvent();
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

            if (!await sse.FlushAsync(aborted))
            {
                return;
            }
        }
    }

    /// <summary>Reads the engine into <paramref name="events"/>, dropping lines while it is full; always ends with an end event unless cancelled.</summary>
    private async Task ReadEngineAsync(ContainerLogSource source, ChannelWriter<LogEvent> events, CancellationToken cancellationToken)
    {
        // Yield first so the caller starts writing while the engine is asked.
        await Task.Yield();
        long dropped = 0;
        var cutter = new LineCutter();
        try
        {
            LogStreamEnd end;
            try
            {
                await foreach (var line in source.ReadAsync(cancellationToken))
                {
                    if (!cutter.Keep(line, out var truncated))
                    {
                        continue;
                    }

                    if (dropped > 0)
                    {
                        if (!events.TryWrite(LogEvent.DroppedLines(dropped)))
                        {
                            dropped++;
                            continue;
                        }

                        LogDropped(logger, dropped, source.Target.Name);
                        dropped = 0;
                    }

                    if (!events.TryWrite(LogEvent.Of(line, truncated)))
                    {
                        dropped++;
                    }
                }

                end = await ContainerLogService.EndOfAsync(source, cancellationToken);
            }
            catch (EngineApiException error)
            {
                end = LogStreamEnd.Error(error.Message);
            }

            if (dropped > 0)
            {
                await events.WriteAsync(LogEvent.DroppedLines(dropped), cancellationToken);
            }

            await events.WriteAsync(LogEvent.Ended(end), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left: the enumerator was disposed, closing the engine connection.
        }
        catch (Exception error)
        {
            LogReaderFailed(logger, error, source.Target.Name);
            events.TryWrite(LogEvent.Ended(LogStreamEnd.Error("reading the log failed")));
        }
        finally
        {
            events.TryComplete();
        }
    }

    [LoggerMessage(EventId = 4580, Level = LogLevel.Debug, Message = "Log stream of container {Container} on engine {Engine} closed")]
    private static partial void LogClosed(ILogger logger, string container, string engine);

    [LoggerMessage(EventId = 4581, Level = LogLevel.Debug, Message = "Dropped {Count} log lines of container {Container}: the client reads slower than the container writes")]
    private static partial void LogDropped(ILogger logger, long count, string container);

    [LoggerMessage(EventId = 4582, Level = LogLevel.Error, Message = "Reading the log of container {Container} failed")]
    private static partial void LogReaderFailed(ILogger logger, Exception error, string container);
}
