using Microsoft.Extensions.Options;

namespace Dockyard.Server.Events;

/// <summary>
/// Drains the in-memory queue of the events that are not recorded in the outbox (pulls, blob uploads) and hands each
/// to every <see cref="IRegistryEventConsumer"/>, in publish order. These are best effort: an event still queued when
/// the process dies is lost. On graceful shutdown the queued ones are handed over for up to
/// <see cref="RegistryEventOptions.ShutdownDrainTimeout"/>. Recorded events go through <see cref="RegistryOutboxDispatcher"/>.
/// </summary>
internal sealed partial class RegistryEventDispatcher(
    ChannelRegistryEventSink sink,
    RegistryEventConsumers consumers,
    IOptions<RegistryEventOptions> options,
    ILogger<RegistryEventDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await sink.Reader.WaitToReadAsync(stoppingToken))
            {
                while (sink.Reader.TryRead(out var published))
                {
                    await consumers.DispatchAsync(published, consumers.All, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await DrainAsync();
        }
    }

    private async Task DrainAsync()
    {
        sink.Complete();
        using var deadline = new CancellationTokenSource(options.Value.ShutdownDrainTimeout);
        try
        {
            while (sink.Reader.TryRead(out var published))
            {
                await consumers.DispatchAsync(published, consumers.All, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            LogDrainTimedOut(sink.Reader.CanCount ? sink.Reader.Count : -1);
        }
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Shutdown drain of the registry event queue timed out; {Remaining} events not handed to consumers")]
    private partial void LogDrainTimedOut(int remaining);
}
