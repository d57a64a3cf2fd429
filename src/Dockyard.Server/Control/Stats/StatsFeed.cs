using Dockyard.Control.Engines;
using Dockyard.Control.Stats;
using Dockyard.Server.Control.Containers;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Stats;

/// <summary>
/// One engine stats stream of one container and its viewers (<see cref="ContainerStatsHub"/>). Every sample goes to
/// every subscriber; the latest is kept for the next one to join. When the last subscriber leaves, the stream stays
/// open for <see cref="ContainerStatsHub.Linger"/> (a page reload does not reopen it), then closes.
/// All state is guarded by the hub's lock.
/// </summary>
internal sealed class StatsFeed
{
    private readonly ContainerStatsHub _hub;
    private readonly ContainerTarget _target;
    private readonly bool _noNetwork;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LatestOnlySubscription<ContainerStatsView, StatsEnd>> _subscribers = [];
    private ContainerStatsView? _latest;
    private ITimer? _linger;

    public StatsFeed(ContainerStatsHub hub, string key, ContainerTarget target)
    {
        _hub = hub;
        Key = key;
        _target = target;
        _noNetwork = ContainerStatsView.HasNoNetwork(target.Details.HostConfig.NetworkMode);
    }

    public string Key { get; }

    /// <summary>The engine stream has ended; a new viewer needs a new feed.</summary>
    public bool Ended { get; private set; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts reading the engine (once, under the hub's lock).</summary>
    public void Start()
    {
        _hub.StreamOpened();
        Completion = Task.Run(RunAsync);
    }

    /// <summary>A new viewer, given the latest sample at once. The caller holds the hub's lock.</summary>
    public LatestOnlySubscription<ContainerStatsView, StatsEnd> AddLocked()
    {
        var subscription = new LatestOnlySubscription<ContainerStatsView, StatsEnd>(Remove);
        _linger?.Dispose();
        _linger = null;
        _subscribers.Add(subscription);
        if (_latest is { } latest)
        {
            subscription.Offer(latest);
        }

        return subscription;
    }

    public void Remove(LatestOnlySubscription<ContainerStatsView, StatsEnd> subscription)
    {
        lock (_hub.Sync)
        {
            if (_subscribers.Remove(subscription) && _subscribers.Count == 0 && !Ended)
            {
                _linger = _hub.Time.CreateTimer(static state => ((StatsFeed)state!).CloseIfIdle(), this, ContainerStatsHub.Linger, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void CloseIfIdle()
    {
        lock (_hub.Sync)
        {
            if (_subscribers.Count > 0 || Ended)
            {
                return;
            }

            _hub.Forget(this);
        }

        // Not disposed anywhere, so this cannot race with the end of RunAsync.
        _stop.Cancel();
    }

    /// <summary>Stops the engine stream now (the hub is shutting down).</summary>
    public void Stop() => _stop.Cancel();

    private async Task RunAsync()
    {
        StatsEnd end = StatsEnd.Stopped;
        try
        {
            await foreach (var sample in new StatsClient(_target.Engine.Client).StreamAsync(_target.Id, _stop.Token))
            {
                var view = ContainerStatsView.From(sample, _noNetwork);
                lock (_hub.Sync)
                {
                    _latest = view;
                    foreach (var subscriber in _subscribers)
                    {
                        subscriber.Offer(view);
                    }
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Closed (no viewer left, or shutdown), however the cancelled read ends.
        }
        catch (EngineApiException error)
        {
            end = StatsEnd.Error(error.Message);
        }
        catch (ObjectDisposedException)
        {
            end = StatsEnd.Error($"engine {_target.Engine.Name} was removed");
        }
        finally
        {
            lock (_hub.Sync)
            {
                Ended = true;
                _linger?.Dispose();
                _linger = null;
                _hub.Forget(this);
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Complete(end);
                }
            }

            _hub.StreamClosed(_target);
        }
    }
}
