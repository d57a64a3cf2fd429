using System.Threading.Channels;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>
/// Feeds committed entries to the SIEM sinks, asynchronously: the writer only enqueues (never waits), one loop per
/// sink delivers, and a failing sink is retried with backoff (1 s doubling to 30 s) while its queue absorbs new
/// entries; when a queue is full, further entries are dropped for that sink and counted. The database stays the
/// record of truth; the sinks are a best-effort copy.
/// </summary>
internal sealed partial class AuditStream(IEnumerable<IAuditSink> sinks, AuditMetrics metrics, ILogger<AuditStream> logger) : BackgroundService
{
    private const int QueueCapacity = 100_000;
    private const int BatchSize = 500;

    private readonly (IAuditSink Sink, Channel<AuditEntryEntity> Queue)[] _sinks =
        [.. sinks.Select(s => (s, Channel.CreateBounded<AuditEntryEntity>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })))];

    public void Publish(IReadOnlyList<AuditEntryEntity> entries)
    {
        foreach (var (sink, queue) in _sinks)
        {
            foreach (var entry in entries)
            {
                if (!queue.Writer.TryWrite(entry))
                {
                    metrics.SinkDropped(sink.Name);
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let the loops drain what is queued, within the host's shutdown timeout.
        foreach (var (_, queue) in _sinks)
        {
            queue.Writer.TryComplete();
        }

        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_sinks.Select(s => RunAsync(s.Sink, s.Queue.Reader, stoppingToken)));

    private async Task RunAsync(IAuditSink sink, ChannelReader<AuditEntryEntity> reader, CancellationToken stoppingToken)
    {
        var batch = new List<AuditEntryEntity>(BatchSize);
        var delay = TimeSpan.FromSeconds(1);
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (batch.Count < BatchSize && reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }

                while (!await TryWriteAsync(sink, batch))
                {
                    await Task.Delay(delay, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }

                batch.Clear();
                delay = TimeSpan.FromSeconds(1);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down with the sink unreachable: the database keeps the entries.
        }
        finally
        {
            await sink.DisposeAsync();
        }
    }

    private async Task<bool> TryWriteAsync(IAuditSink sink, List<AuditEntryEntity> batch)
    {
        try
        {
            // Not the stopping token: on shutdown the queue drains while the sink answers (the host bounds how long).
            await sink.WriteAsync(batch, CancellationToken.None);
            return true;
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or ObjectDisposedException
                                          || error is OperationCanceledException)
        {
            metrics.SinkFailed(sink.Name);
            LogSinkFailed(sink.Name, error.Message);
            await sink.ResetAsync();
            return false;
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Audit sink {Sink} failed, retrying: {Reason}")]
    private partial void LogSinkFailed(string sink, string reason);
}
