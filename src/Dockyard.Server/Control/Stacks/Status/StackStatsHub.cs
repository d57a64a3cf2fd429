using Dockyard.Server.Control.Stats;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>
/// One watcher per viewed stack (<see cref="StackStatsFeed"/>), whatever the number of viewers: it lists the stack's
/// running tasks on a manager every <see cref="RefreshInterval"/> and sums the latest sample of each task container
/// every <see cref="SampleInterval"/>, the containers' own streams coming from <see cref="ContainerStatsHub"/> (one
/// engine stream per container for every stack and container viewer together). The watcher stops when its last viewer
/// leaves; the container streams then linger as the hub decides. Authorization is the caller's
/// (<see cref="StackStatusService"/>).
/// </summary>
internal sealed partial class StackStatsHub(EngineRegistry registry, ContainerStatsHub containers, TimeProvider time, ILogger<StackStatsHub> logger) : IDisposable
{
    /// <summary>How often a watched stack's task list is read again (tasks come and go with scale and updates).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(3);

    /// <summary>How often a sum goes to the viewers.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, StackStatsFeed> _feeds = new(StringComparer.Ordinal);

    /// <summary>Stacks watched now (for tests and benchmarks).</summary>
    public int OpenFeeds
    {
        get
        {
            lock (Sync)
            {
                return _feeds.Count;
            }
        }
    }

    internal Lock Sync { get; } = new();

    internal EngineRegistry Registry => registry;

    internal ContainerStatsHub Containers => containers;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    /// <summary>Adds a viewer of stack <paramref name="stack"/>'s resources, starting its watcher if none runs.</summary>
    public LatestOnlySubscription<StackStatsSample, StatsEnd> Subscribe(string stack)
    {
        lock (Sync)
        {
            if (!_feeds.TryGetValue(stack, out var feed))
            {
                feed = new StackStatsFeed(this, stack);
                _feeds[stack] = feed;
                feed.Start();
                LogWatching(logger, stack);
            }

            return feed.AddLocked();
        }
    }

    /// <summary>Removes a feed that stopped (caller holds <see cref="Sync"/>).</summary>
    internal void Forget(StackStatsFeed feed)
    {
        if (_feeds.TryGetValue(feed.Stack, out var current) && ReferenceEquals(current, feed))
        {
            _feeds.Remove(feed.Stack);
        }
    }

    public void Dispose()
    {
        StackStatsFeed[] feeds;
        lock (Sync)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        foreach (var feed in feeds)
        {
            feed.Stop();
        }
    }

    [LoggerMessage(EventId = 4620, Level = LogLevel.Debug, Message = "Watching the resources of stack {Stack}")]
    private static partial void LogWatching(ILogger logger, string stack);
}
