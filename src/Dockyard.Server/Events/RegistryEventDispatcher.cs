using Microsoft.Extensions.Options;

namespace Dockyard.Server.Events;

/// <summary>
/// Drains the event queue and hands each event to every <see cref="IRegistryEventConsumer"/>, one event at a time,
/// in publish order. A failing consumer is logged and does not stop the others. On graceful shutdown the events
/// still queued are handed over for up to <see cref="RegistryEventOptions.ShutdownDrainTimeout"/>.
/// </summary>
internal sealed partial class RegistryEventDispatcher(
    ChannelRegistryEventSink sink,
    IEnumerable<IRegistryEventConsumer> consumers,
    IOptions<RegistryEventOptions> options,
    ILogger<RegistryEventDispatcher> logger) : BackgroundService
{
    private readonly IRegistryEventConsumer[] _consumers = [.. consumers];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await sink.Reader.WaitToReadAsync(stoppingToken))
            {
                while (sink.Reader.TryRead(out var published))
                {
                    await DispatchAsync(published, stoppingToken);
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
                await DispatchAsync(published, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            LogDrainTimedOut(sink.Reader.CanCount ? sink.Reader.Count : -1);
        }
    }

    private async Task DispatchAsync(PublishedRegistryEvent published, CancellationToken cancellationToken)
    {
        foreach (var consumer in _consumers)
        {
            try
            {
                await consumer.HandleAsync(published, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogConsumerFailed(error, consumer.GetType().Name, published.Event.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Registry event consumer {Consumer} failed on {EventType}")]
    private partial void LogConsumerFailed(Exception error, string consumer, string eventType);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Shutdown drain of the registry event queue timed out; {Remaining} events not handed to consumers")]
    private partial void LogDrainTimedOut(int remaining);
}
