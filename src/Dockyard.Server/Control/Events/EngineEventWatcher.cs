using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Runs one <see cref="EngineEventConsumer"/> per engine Dockyard knows (configured or stored), started when the engine
/// appears and stopped when it goes; each consumer reads only while this replica holds the engine's lease, so with N
/// replicas every stream is read once. Off when <see cref="EngineEventsOptions.Enabled"/> is false.
/// </summary>
internal sealed class EngineEventWatcher(
    EngineRegistry registry,
    EventLeases leases,
    EventWriter writer,
    Data.DatabaseInitializer database,
    IOptions<EngineEventsOptions> options,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan Scan = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, Running> _consumers = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var logger = loggers.CreateLogger<EngineEventConsumer>();
        try
        {
            await database.Begin().WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await registry.EnsureLoadedAsync(stoppingToken);
                var names = registry.List().Select(e => e.Definition.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var name in names.Where(n => !_consumers.ContainsKey(n)))
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var consumer = new EngineEventConsumer(name, registry, leases, writer, options, time, logger);
                    _consumers[name] = new Running(stop, Task.Run(() => consumer.RunAsync(stop.Token), CancellationToken.None));
                }

                foreach (var gone in _consumers.Keys.Where(n => !names.Contains(n)).ToList())
                {
                    await StopAsync(_consumers[gone]);
                    _consumers.Remove(gone);
                }

                await Task.Delay(Scan, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_consumers.Values.Select(StopAsync));
            _consumers.Clear();
        }
    }

    private static async Task StopAsync(Running running)
    {
        await running.Stop.CancelAsync();
        await running.Run;
        running.Stop.Dispose();
    }

    private sealed record Running(CancellationTokenSource Stop, Task Run);
}
