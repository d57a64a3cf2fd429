using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Runs one <see cref="EngineEventConsumer"/> per engine Dockyard knows (configured or stored), started when the engine
/// appears and stopped when it goes; each consumer reads only while this replica holds the engine's lease, so with N
/// replicas every stream is read once. Off when <see cref="EngineEventsOptions.Enabled"/> is false.
/// </summary>
internal sealed partial class EngineEventWatcher(
    EngineRegistry registry,
    EventLeases leases,
    EventWriter writer,
    Data.DatabaseInitializer database,
    IOptions<EngineEventsOptions> options,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan Scan = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Run)> _consumers = new(StringComparer.Ordinal);

    /// <summary>The engines a consumer runs for (whether or not this replica holds the lease).</summary>
    public IReadOnlyList<string> Engines { get { lock (_consumers) { return [.. _consumers.Keys]; } } }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await database.Begin().WaitAsync(stoppingToken);
        var logger = loggers.CreateLogger<EngineEventConsumer>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await registry.EnsureLoadedAsync(stoppingToken);
                var names = registry.List().Select(e => e.Definition.Name).ToHashSet(StringComparer.Ordinal);
                lock (_consumers)
                {
                    foreach (var name in names.Where(n => !_consumers.ContainsKey(n)))
                    {
                        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        var consumer = new EngineEventConsumer(name, registry, leases, writer, options, time, logger);
                        _consumers[name] = (stop, Task.Run(() => consumer.RunAsync(stop.Token), CancellationToken.None));
                    }

                    foreach (var gone in _consumers.Keys.Where(n => !names.Contains(n)).ToList())
                    {
                        _consumers[gone].Stop.Cancel();
                        _consumers.Remove(gone);
                    }
                }

                await Task.Delay(Scan, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            List<Task> running;
            lock (_consumers)
            {
                running = [.. _consumers.Values.Select(c => c.Run)];
                foreach (var consumer in _consumers.Values)
                {
                    consumer.Stop.Cancel();
                }

                _consumers.Clear();
            }

            await Task.WhenAll(running);
        }
    }
}
