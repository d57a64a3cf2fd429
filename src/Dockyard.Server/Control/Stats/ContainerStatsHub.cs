using Dockyard.Server.Control.Containers;
using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Stats;

/// <summary>
/// Stats fan-out: ONE engine stats stream per container (<see cref="StatsFeed"/>), whatever the number of viewers;
/// each viewer (<see cref="LatestOnlySubscription{T, TEnd}"/>) holds only the latest sample. The stream opens with the first
/// viewer and closes <see cref="Linger"/> after the last one leaves, or when the container stops.
/// <see cref="OpenEngineStreams"/> counts the engine streams open now (for tests and benchmarks). Authorization is
/// the caller's (<see cref="ContainerStatsService"/>): the hub serves whoever has been let in.
/// </summary>
internal sealed partial class ContainerStatsHub(TimeProvider time, ILogger<ContainerStatsHub> logger) : IDisposable
{
    /// <summary>How long an engine stream stays open after its last viewer left.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, StatsFeed> _feeds = new(StringComparer.Ordinal);
    private int _open;

    /// <summary>Engine stats streams open now.</summary>
    public int OpenEngineStreams => Volatile.Read(ref _open);

    internal Lock Sync { get; } = new();

    internal TimeProvider Time => time;

    /// <summary>Adds a viewer of <paramref name="target"/>'s stats, opening the engine stream if none is open.</summary>
    public LatestOnlySubscription<ContainerStatsView, StatsEnd> Subscribe(ContainerTarget target)
    {
        var key = target.Engine.Name + "/" + target.Id;
        lock (Sync)
        {
            if (!_feeds.TryGetValue(key, out var feed))
            {
                feed = new StatsFeed(this, key, target);
                _feeds[key] = feed;
                feed.Start();
            }

            return feed.AddLocked();
        }
    }

    /// <summary>Removes a feed that closed or ended (caller holds <see cref="Sync"/>).</summary>
    internal void Forget(StatsFeed feed)
    {
        if (_feeds.TryGetValue(feed.Key, out var current) && ReferenceEquals(current, feed))
        {
            _feeds.Remove(feed.Key);
        }
    }

    internal void StreamOpened()
    {
        Interlocked.Increment(ref _open);
    }

    internal void StreamClosed(ContainerTarget target)
    {
        Interlocked.Decrement(ref _open);
        LogStreamClosed(logger, target.Name, target.Engine.Name);
    }

    public void Dispose()
    {
        StatsFeed[] feeds;
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

    [LoggerMessage(EventId = 4585, Level = LogLevel.Debug, Message = "Stats stream of container {Container} on engine {Engine} closed")]
    private static partial void LogStreamClosed(ILogger logger, string container, string engine);
}
