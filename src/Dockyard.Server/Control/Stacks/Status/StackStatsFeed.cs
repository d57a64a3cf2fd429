using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Control.Services;
using Dockyard.Control.Stacks;
using Dockyard.Control.Tasks;
using Dockyard.Server.Control.Containers;
using Dockyard.Server.Control.Stats;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>
/// The watcher of one stack's resources (<see cref="StackStatsHub"/>): every refresh it lists the stack's services
/// and running tasks on a manager, subscribes to the stats of new task containers on the engine of their node and
/// drops those of tasks that ended; every sample interval it sums the latest sample of each container. A node without
/// a reachable engine, or a container stream that failed, becomes a warning and the rest is summed. Subscribers are
/// guarded by the hub's lock; the container entries belong to the loop alone.
/// </summary>
internal sealed partial class StackStatsFeed
{
    private readonly StackStatsHub _hub;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LatestOnlySubscription<StackStatsSample, StatsEnd>> _subscribers = [];
    private readonly Dictionary<string, Watched> _watched = new(StringComparer.Ordinal);
    private IReadOnlyList<ServiceSummary> _services = [];
    private IReadOnlyList<string> _refreshWarnings = [];
    private StackStatsSample? _latest;
    private bool _stopped;

    public StackStatsFeed(StackStatsHub hub, string stack)
    {
        _hub = hub;
        Stack = stack;
    }

    public string Stack { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>A new viewer, given the latest sum at once. The caller holds the hub's lock.</summary>
    public LatestOnlySubscription<StackStatsSample, StatsEnd> AddLocked()
    {
        var subscription = new LatestOnlySubscription<StackStatsSample, StatsEnd>(Remove);
        _subscribers.Add(subscription);
        if (_latest is { } latest)
        {
            subscription.Offer(latest);
        }

        return subscription;
    }

    /// <summary>Removes a viewer; the last one out stops the watcher (container streams linger in their own hub).</summary>
    public void Remove(LatestOnlySubscription<StackStatsSample, StatsEnd> subscription)
    {
        lock (_hub.Sync)
        {
            if (!_subscribers.Remove(subscription) || _subscribers.Count > 0 || _stopped)
            {
                return;
            }

            _stopped = true;
            _hub.Forget(this);
        }

        _stop.Cancel();
    }

    /// <summary>Stops now (shutdown).</summary>
    public void Stop() => _stop.Cancel();

    private async Task RunAsync()
    {
        var end = StatsEnd.Stopped;
        try
        {
            var nextRefresh = DateTimeOffset.MinValue;
            while (!_stop.IsCancellationRequested)
            {
                if (_hub.Time.GetUtcNow() >= nextRefresh)
                {
                    if (!await RefreshAsync(_stop.Token))
                    {
                        end = new StatsEnd("removed", $"stack {Stack} has no services");
                        return;
                    }

                    nextRefresh = _hub.Time.GetUtcNow() + StackStatsHub.RefreshInterval;
                }

                Publish(Sum());
                await Task.Delay(StackStatsHub.SampleInterval, _hub.Time, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The last viewer left, or shutdown.
        }
        catch (Exception error)
        {
            LogFailed(_hub.Logger, Stack, error);
            end = StatsEnd.Error("watching the stack failed: " + error.Message);
        }
        finally
        {
            foreach (var watched in _watched.Values)
            {
                watched.Subscription.Dispose();
            }

            _watched.Clear();
            lock (_hub.Sync)
            {
                _stopped = true;
                _hub.Forget(this);
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Complete(end);
                }
            }

            LogStopped(_hub.Logger, Stack);
        }
    }

    /// <summary>Re-reads services and running tasks; false when the stack has no services left.</summary>
    private async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var manager = _hub.Registry.GetManager();
        if (manager is null)
        {
            _refreshWarnings = ["no swarm manager is reachable: the task list is not refreshed"];
            return true;
        }

        IReadOnlyList<TaskSummary> tasks;
        try
        {
            var services = await new ServiceClient(manager).ListAsync(new EngineFilters().Add("label", StackLabels.Namespace + "=" + Stack), cancellationToken);
            if (services.Count == 0)
            {
                return false;
            }

            _services = services;
            var filters = new EngineFilters().Add("desired-state", "running");
            foreach (var service in services)
            {
                filters.Add("service", service.Id);
            }

            tasks = await new TaskClient(manager).ListAsync(filters, cancellationToken);
        }
        catch (EngineApiException error)
        {
            LogRefreshFailed(_hub.Logger, Stack, error.Message);
            _refreshWarnings = [error.Message + " (the task list is not refreshed)"];
            return true;
        }

        var running = tasks.Where(t => t is { State: "running", ContainerId: not null, NodeId: not null }).ToDictionary(t => t.ContainerId!, StringComparer.Ordinal);
        // Ended tasks go; so do streams that ended (the container stopped, or the engine failed: tried again below).
        foreach (var gone in _watched.Where(w => !running.ContainsKey(w.Key) || w.Value.Subscription.Samples.Completion.IsCompleted).Select(w => w.Key).ToList())
        {
            _watched[gone].Subscription.Dispose();
            _watched.Remove(gone);
        }

        var engines = _hub.Registry.Reachable().Where(e => e.NodeId is not null).GroupBy(e => e.NodeId!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var group in running.Values.Where(t => !_watched.ContainsKey(t.ContainerId!)).GroupBy(t => t.NodeId!))
        {
            if (!engines.TryGetValue(group.Key, out var engine))
            {
                warnings.Add($"node {group.Key}: no reachable engine, {group.Count()} task(s) not counted");
                continue;
            }

            foreach (var task in group)
            {
                await WatchAsync(engine, task, warnings, cancellationToken);
            }
        }

        _refreshWarnings = warnings;
        return true;
    }

    private async Task WatchAsync(ReachableEngine engine, TaskSummary task, List<string> warnings, CancellationToken cancellationToken)
    {
        ContainerDetails details;
        try
        {
            details = await new ContainerClient(engine.Client).InspectAsync(task.ContainerId!, cancellationToken);
        }
        catch (EngineApiException error) when (error.Kind == EngineErrorKind.NotFound)
        {
            return; // The task just ended; the next refresh will not list it.
        }
        catch (EngineApiException error)
        {
            warnings.Add(error.Message + " (a task container is not counted)");
            return;
        }
        catch (ObjectDisposedException)
        {
            return; // The engine was removed while we asked it.
        }

        if (details.State.Running)
        {
            _watched[task.ContainerId!] = new Watched(task.ServiceId, engine.Name, _hub.Containers.Subscribe(new ContainerTarget(engine, details)));
        }
    }

    private StackStatsSample Sum()
    {
        var warnings = new List<string>(_refreshWarnings);
        var complete = true;
        var byService = _services.ToDictionary(s => s.Id, _ => (Cpu: (double?)null, Memory: 0UL, Tasks: 0), StringComparer.Ordinal);
        foreach (var (id, watched) in _watched)
        {
            while (watched.Subscription.Samples.TryRead(out var sample))
            {
                watched.Latest = sample;
            }

            if (watched.Subscription.Samples.Completion.IsCompleted && watched.Subscription.End is { Reason: "error" } end)
            {
                warnings.Add($"container {id[..Math.Min(12, id.Length)]} on engine {watched.Engine}: {end.Message}");
            }

            if (!byService.TryGetValue(watched.ServiceId, out var total))
            {
                continue;
            }

            total.Tasks++;
            if (watched.Latest is { } latest)
            {
                total.Memory += latest.MemoryUsed;
                total.Cpu = latest.CpuPercent is { } cpu ? (total.Cpu ?? 0) + cpu : total.Cpu;
            }

            complete &= watched.Latest?.CpuPercent is not null;
            byService[watched.ServiceId] = total;
        }

        var services = new List<StackServiceStatsView>(_services.Count);
        double? cpuTotal = null;
        var memoryTotal = 0UL;
        foreach (var service in _services.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var (cpu, memory, tasks) = byService[service.Id];
            services.Add(new StackServiceStatsView(service.Name, Round(cpu), memory, tasks));
            cpuTotal = cpu is { } figure ? (cpuTotal ?? 0) + figure : cpuTotal;
            memoryTotal += memory;
        }

        var view = new StackStatsView(_hub.Time.GetUtcNow(), Round(cpuTotal), memoryTotal, services, warnings);
        return new StackStatsSample(view, complete);
    }

    private void Publish(StackStatsSample sample)
    {
        lock (_hub.Sync)
        {
            _latest = sample;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(sample);
            }
        }
    }

    private static double? Round(double? value) => value is { } number ? Math.Round(number, 2) : null;

    [LoggerMessage(EventId = 4621, Level = LogLevel.Debug, Message = "Stopped watching the resources of stack {Stack}")]
    private static partial void LogStopped(ILogger logger, string stack);

    [LoggerMessage(EventId = 4622, Level = LogLevel.Warning, Message = "Could not refresh the tasks of stack {Stack}: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string stack, string reason);

    [LoggerMessage(EventId = 4623, Level = LogLevel.Error, Message = "Watching the resources of stack {Stack} failed")]
    private static partial void LogFailed(ILogger logger, string stack, Exception error);

    /// <summary>A task container being summed: its service, engine, stats subscription and latest sample.</summary>
    private sealed class Watched(string serviceId, string engine, LatestOnlySubscription<ContainerStatsView, StatsEnd> subscription)
    {
        public string ServiceId { get; } = serviceId;

        public string Engine { get; } = engine;

        public LatestOnlySubscription<ContainerStatsView, StatsEnd> Subscription { get; } = subscription;

        public ContainerStatsView? Latest { get; set; }
    }
}
