using System.Collections.Concurrent;
using System.Threading.Channels;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Search;

/// <summary>
/// Repositories whose search row must be derived again, each re-indexed once however many events named it meanwhile.
/// </summary>
/// <remarks>
/// Why: indexing is whole-repository (<see cref="SearchIndexer"/>), and one per push made a push of a repository with
/// 2,000 tags re-read all of them and re-write their words: manifest PUT with tag went from 224 to 36 tags/s
/// (bench/run.sh --writes, same build with and without the consumer). Events now only mark their repository; a loop
/// indexes what is marked after a short delay, so a burst of pushes costs one indexing per repository. A repository
/// marked again while it is being indexed is indexed again. The outbox cursor moves on when a repository is marked,
/// so marks not yet indexed when the process dies are recovered at the next start (<see cref="StaleAsync"/>).
/// </remarks>
internal sealed partial class SearchIndexQueue(SearchIndexer indexer, ILogger<SearchIndexQueue> logger) : BackgroundService
{
    /// <summary>How long marks gather before they are indexed (bounds how soon a push is searchable).</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, bool> _marked = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _busy;

    /// <summary>Nothing is marked, gathering or being indexed: what was marked so far is in the index.</summary>
    public bool Idle => _marked.IsEmpty && Volatile.Read(ref _busy) == 0;

    public void Mark(string repository)
    {
        _marked[repository] = true;
        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Repositories whose row is older than their last tag change, whose tag count differs (a delete whose event was
    /// marked but not indexed), or that have tags and no row, or a row and no repository. A repository whose last tag
    /// went in the lost window keeps its row until its next push (rows without tags are not looked for: bench/search.sh
    /// seeds rows without tags on purpose, and this ran over all of them at every start).
    /// </summary>
    public static async Task<List<string>> StaleAsync(DockyardDbContext db, CancellationToken cancellationToken)
    {
        // Cosign's artifacts (sha256-<hex>.sig/.att/.sbom) are not counted in the row's TagCount.
        var tagged = await db.Tags.AsNoTracking()
            .GroupBy(t => t.Repository)
            .Select(g => new { Repository = g.Key, Latest = g.Max(t => t.UpdatedAt), Images = g.Count(t => !t.Name.StartsWith("sha256-")) })
            .ToListAsync(cancellationToken);
        var documents = await db.SearchDocuments.AsNoTracking()
            .Select(d => new { d.Repository, d.IndexedAt, d.TagCount })
            .ToDictionaryAsync(d => d.Repository, StringComparer.Ordinal, cancellationToken);
        var stale = tagged
            .Where(t => !documents.TryGetValue(t.Repository, out var d) || d.IndexedAt < t.Latest || d.TagCount != t.Images)
            .Select(t => t.Repository)
            .ToList();
        var existing = await db.Repositories.AsNoTracking().Select(r => r.Name).ToListAsync(cancellationToken);
        var exists = existing.ToHashSet(StringComparer.Ordinal);
        stale.AddRange(documents.Keys.Where(r => !exists.Contains(r)));
        return stale;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stoppingToken))
            {
                _wake.Reader.TryRead(out _);
                Volatile.Write(ref _busy, 1);
                try
                {
                    await Task.Delay(Gather, stoppingToken);
                    foreach (var repository in _marked.Keys)
                    {
                        _marked.TryRemove(repository, out _);
                        try
                        {
                            await indexer.IndexRepositoryAsync(repository, stoppingToken);
                        }
                        catch (Exception error) when (error is not OperationCanceledException)
                        {
                            // Kept marked: tried again with the next wake-up (or at the next start, see StaleAsync).
                            LogFailed(repository, error);
                            _marked.TryAdd(repository, true);
                        }
                    }
                }
                finally
                {
                    Volatile.Write(ref _busy, 0);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 9303, Level = LogLevel.Warning, Message = "Indexing repository {Repository} for search failed; it is tried again")]
    private partial void LogFailed(string repository, Exception error);
}
