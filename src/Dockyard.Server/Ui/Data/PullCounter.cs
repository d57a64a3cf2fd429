using Dockyard.Registry.Events;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// Pull counts per tag and per repository (<c>tags.pull_count</c>, <c>repositories.pull_count</c>) and the
/// "last pulled" times, kept off the request path: <see cref="TagActivityRecorder"/> hands each
/// <see cref="ManifestPulled"/> event (a manifest GET; HEAD raises none) to <see cref="Add"/>, which only adds to a
/// dictionary in memory; <see cref="PullCountFlusher"/> writes the sums every few seconds, and disposal at shutdown
/// writes what is left. A flush is one transaction of one <c>UPDATE … SET pull_count = pull_count + n</c> per touched
/// row (an increment, never read-modify-write, so replicas flushing at once add up), repositories before tags, each
/// in name order, so two replicas' flushes take row locks in the same order. A pull by tag counts for the tag and the
/// repository; a pull by digest for the repository only (and moves "last pulled" of the tags pointing at it).
/// Best effort like the events themselves: pulls still in memory when the process dies are lost.
/// </summary>
internal sealed partial class PullCounter(IDbContextFactory<DockyardDbContext> contexts, ILogger<PullCounter> logger) : IAsyncDisposable
{
    /// <summary>Distinct tags and digests kept between flushes; pulls of further ones are dropped until the next flush.</summary>
    public const int MaxPending = 50_000;

    private static readonly TimeSpan DisposeFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private Dictionary<(string Repository, string Reference, bool ByDigest), (long Count, DateTimeOffset Last)> _pending = [];
    private bool _droppedLogged;

    /// <summary>Counts one pull, in memory (no I/O).</summary>
    public void Add(ManifestPulled pulled)
    {
        var key = pulled.Tag is { } tag ? (pulled.Repository.Value, tag, false) : (pulled.Repository.Value, pulled.Digest.Value, true);
        lock (_gate)
        {
            Merge(key, 1, pulled.OccurredAt);
        }
    }

    /// <summary>Writes the pulls counted since the last flush; returns how many rows of pulls (tags and digests) it wrote.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        Dictionary<(string Repository, string Reference, bool ByDigest), (long Count, DateTimeOffset Last)> batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return 0;
            }

            (batch, _pending) = (_pending, []);
            _droppedLogged = false;
        }

        try
        {
            await WriteAsync(batch, cancellationToken);
            return batch.Count;
        }
        catch (Exception ex)
        {
            // Put the counts back for the next flush (increments commute, so nothing is counted twice: the transaction rolled back).
            lock (_gate)
            {
                foreach (var (key, (count, last)) in batch)
                {
                    Merge(key, count, last);
                }
            }

            if (ex is not OperationCanceledException)
            {
                LogFlushFailed(ex, batch.Count);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(DisposeFlushTimeout);
        try
        {
            await FlushAsync(deadline.Token);
        }
        catch (Exception)
        {
            // Logged by FlushAsync (or timed out): shutting down must not fail on a statistic.
        }
    }

    private void Merge((string Repository, string Reference, bool ByDigest) key, long count, DateTimeOffset at)
    {
        if (_pending.TryGetValue(key, out var current))
        {
            _pending[key] = (current.Count + count, at > current.Last ? at : current.Last);
        }
        else if (_pending.Count < MaxPending)
        {
            _pending[key] = (count, at);
        }
        else if (!_droppedLogged)
        {
            _droppedLogged = true;
            LogDropped(MaxPending);
        }
    }

    private async Task WriteAsync(Dictionary<(string Repository, string Reference, bool ByDigest), (long Count, DateTimeOffset Last)> batch, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entries = batch.OrderBy(e => e.Key.Repository, StringComparer.Ordinal).ThenBy(e => e.Key.ByDigest).ThenBy(e => e.Key.Reference, StringComparer.Ordinal).ToList();
        foreach (var repository in entries.GroupBy(e => e.Key.Repository))
        {
            var name = repository.Key;
            var count = repository.Sum(e => e.Value.Count);
            DateTimeOffset? last = repository.Max(e => e.Value.Last);
            await db.Repositories.Where(r => r.Name == name).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.PullCount, r => r.PullCount + count)
                    .SetProperty(r => r.LastPulledAt, r => r.LastPulledAt == null || r.LastPulledAt < last ? last : r.LastPulledAt),
                cancellationToken);
        }

        foreach (var ((name, reference, byDigest), (count, at)) in entries)
        {
            DateTimeOffset? last = at;
            if (byDigest)
            {
                await db.Tags.Where(t => t.Repository == name && t.ManifestDigest == reference && (t.LastPulledAt == null || t.LastPulledAt < last))
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastPulledAt, last), cancellationToken);
            }
            else
            {
                await db.Tags.Where(t => t.Repository == name && t.Name == reference).ExecuteUpdateAsync(
                    s => s.SetProperty(t => t.PullCount, t => t.PullCount + count)
                        .SetProperty(t => t.LastPulledAt, t => t.LastPulledAt == null || t.LastPulledAt < last ? last : t.LastPulledAt),
                    cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 7020, Level = LogLevel.Warning, Message = "Writing pull counts failed; {Rows} tags and digests kept for the next attempt")]
    private partial void LogFlushFailed(Exception exception, int rows);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Warning, Message = "More than {Max} tags and digests pulled since the last pull-count flush; further ones are not counted until it runs")]
    private partial void LogDropped(int max);
}
