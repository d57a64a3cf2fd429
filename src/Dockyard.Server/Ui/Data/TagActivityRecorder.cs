using System.Collections.Concurrent;
using Dockyard.Registry.Events;
using Dockyard.Server.Data;
using Dockyard.Server.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Keeps the tag columns the UI shows up to date from registry events, off the request path: who pushed a tag
/// (<c>tags.pushed_by</c>), how often and when it was last pulled. With pull counts on
/// (<see cref="UiOptions.PullCounts"/>, the default) a pull only goes to the <see cref="PullCounter"/>, which writes
/// counts and "last pulled" times in batches. With them off, only "last pulled" is kept, at one-minute resolution: a
/// pull within a minute of the last recorded one writes nothing, and this replica remembers what it wrote so a busy
/// tag costs no database round trip at all (other replicas may each write once a minute).
/// </summary>
internal sealed class TagActivityRecorder(IDbContextFactory<DockyardDbContext> contexts, PullCounter counter, IOptions<UiOptions> options) : IRegistryEventConsumer
{
    public static readonly TimeSpan PullResolution = TimeSpan.FromMinutes(1);

    private const int MaxRemembered = 10_000;

    private readonly bool _countPulls = options.Value.PullCounts;

    private readonly ConcurrentDictionary<(string Repository, string Reference), DateTimeOffset> _lastWritten = new();

    public async ValueTask HandleAsync(PublishedRegistryEvent published, CancellationToken cancellationToken)
    {
        switch (published.Event)
        {
            case ManifestPushed { Tag: { } tag } pushed when published.Actor is { IsAuthenticated: true } actor:
                await RecordPushAsync(pushed.Repository.Value, tag, pushed.Digest.Value, actor.Name, cancellationToken);
                break;
            case ManifestPulled pulled when _countPulls:
                counter.Add(pulled);
                break;
            case ManifestPulled pulled:
                await RecordPullAsync(pulled, cancellationToken);
                break;
        }
    }

    private async Task RecordPushAsync(string repository, string tag, string digest, string pusher, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Only if the tag still points at what was pushed: a later push may already have moved it.
        await db.Tags.Where(t => t.Repository == repository && t.Name == tag && t.ManifestDigest == digest)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.PushedBy, pusher), cancellationToken);
    }

    private async Task RecordPullAsync(ManifestPulled pulled, CancellationToken cancellationToken)
    {
        var repository = pulled.Repository.Value;
        var key = (repository, pulled.Tag ?? pulled.Digest.Value);
        var now = pulled.OccurredAt;
        if (_lastWritten.TryGetValue(key, out var last) && now - last < PullResolution)
        {
            return;
        }

        if (_lastWritten.Count >= MaxRemembered)
        {
            _lastWritten.Clear();
        }

        _lastWritten[key] = now;
        var stale = now - PullResolution;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tags = db.Tags.Where(t => t.Repository == repository && (t.LastPulledAt == null || t.LastPulledAt < stale));

        // A pull by digest counts for every tag that points at that manifest.
        tags = pulled.Tag is { } tag ? tags.Where(t => t.Name == tag) : tags.Where(t => t.ManifestDigest == pulled.Digest.Value);
        await tags.ExecuteUpdateAsync(s => s.SetProperty(t => t.LastPulledAt, now), cancellationToken);
    }
}
