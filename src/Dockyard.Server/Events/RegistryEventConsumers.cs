namespace Dockyard.Server.Events;

/// <summary>
/// Every <see cref="IRegistryEventConsumer"/>, handed one event at a time: the outbox dispatcher and the in-memory one
/// (pulls) share this, so consumers never run concurrently with themselves. A failing consumer is logged and does not
/// stop the others; the caller learns which failed and may hand the event to those again.
/// </summary>
internal sealed partial class RegistryEventConsumers(IEnumerable<IRegistryEventConsumer> consumers, ILogger<RegistryEventConsumers> logger)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public IReadOnlyList<IRegistryEventConsumer> All { get; } = [.. consumers];

    /// <summary>Hands <paramref name="published"/> to <paramref name="to"/> in order; returns those that failed.</summary>
    public async Task<IReadOnlyList<IRegistryEventConsumer>> DispatchAsync(
        PublishedRegistryEvent published, IReadOnlyList<IRegistryEventConsumer> to, CancellationToken cancellationToken)
    {
        List<IRegistryEventConsumer>? failed = null;
        await _one.WaitAsync(cancellationToken);
        try
        {
            foreach (var consumer in to)
            {
                try
                {
                    await consumer.HandleAsync(published, cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogConsumerFailed(error, consumer.GetType().Name, published.Event.GetType().Name);
                    (failed ??= []).Add(consumer);
                }
            }
        }
        finally
        {
            _one.Release();
        }

        return failed ?? [];
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Registry event consumer {Consumer} failed on {EventType}")]
    private partial void LogConsumerFailed(Exception error, string consumer, string eventType);
}
