using System.Threading.Channels;
using Dockyard.Registry.Events;
using Dockyard.Server.Access;
using Dockyard.Server.Observability;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Dockyard.Server.Events;

/// <summary>
/// The registry's event sink. Events recorded in the outbox with their change (pushes, deletes) are already durable
/// when they arrive here (<see cref="PublishRecorded"/>): they only wake <see cref="RegistryOutboxDispatcher"/>. The
/// others (pulls, blob uploads) go to a bounded in-memory queue drained by <see cref="RegistryEventDispatcher"/>.
/// <see cref="Publish"/> never blocks or waits: when the queue is full the event is dropped, counted in
/// <c>dockyard_registry_events_dropped_total</c> and a warning is logged (once per full spell), because a pull must
/// never wait for its consumers.
/// </summary>
internal sealed partial class ChannelRegistryEventSink : IRegistryEventSink
{
    private readonly Channel<PublishedRegistryEvent> _channel;
    private readonly IHttpContextAccessor _http;
    private readonly RegistryOutboxSignal _outbox;
    private readonly Counter _dropped;
    private readonly ILogger<ChannelRegistryEventSink> _logger;
    private int _full;

    public ChannelRegistryEventSink(
        IHttpContextAccessor http,
        RegistryOutboxSignal outbox,
        IOptions<RegistryEventOptions> options,
        RegistryMetrics metrics,
        ILogger<ChannelRegistryEventSink> logger)
    {
        _http = http;
        _outbox = outbox;
        _logger = logger;
        _dropped = Metrics.WithCustomRegistry(metrics.Registry)
            .CreateCounter("dockyard_registry_events_dropped_total", "Registry events dropped because the event queue was full.");

        // Wait mode makes TryWrite report a full queue (DropWrite would drop silently and report success).
        _channel = Channel.CreateBounded<PublishedRegistryEvent>(new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<PublishedRegistryEvent> Reader => _channel.Reader;

    public void Publish(RegistryEvent registryEvent)
    {
        var context = _http.HttpContext;
        var published = new PublishedRegistryEvent(registryEvent, context?.GetPrincipal());
        if (_channel.Writer.TryWrite(published))
        {
            if (Volatile.Read(ref _full) == 1)
            {
                Interlocked.Exchange(ref _full, 0);
            }

            return;
        }

        _dropped.Inc();
        if (Interlocked.Exchange(ref _full, 1) == 0)
        {
            LogQueueFull(registryEvent.GetType().Name, registryEvent.Repository.Value);
        }
    }

    /// <summary>The index has committed the event's outbox row: hand it over now rather than at the next poll.</summary>
    public void PublishRecorded(RegistryEvent registryEvent) => _outbox.Wake();

    /// <summary>Stops accepting events (the host is shutting down); queued ones can still be read.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Registry event queue is full: dropping events (first dropped: {EventType} in {Repository}); consumers are not keeping up")]
    private partial void LogQueueFull(string eventType, string repository);
}
