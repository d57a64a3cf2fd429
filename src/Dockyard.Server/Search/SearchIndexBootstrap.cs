using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Search;

/// <summary>
/// Fills the search index once for an installation that had repositories before search existed: after the database
/// set-up, unless the <c>search-index</c> row of <c>delivery_cursors</c> says a build was started, it marks every
/// repository in <see cref="SearchIndexQueue"/> (indexed in the background; searches meanwhile find what is indexed so
/// far) and writes that row. Events that arrive meanwhile go to the same queue.
/// Once built, each start re-indexes the repositories whose row is behind their tags (<see cref="SearchIndexQueue.StaleAsync"/>).
/// Replicas starting together may each build; the rows are the same.
/// </summary>
internal sealed partial class SearchIndexBootstrap(
    DatabaseInitializer database,
    IDbContextFactory<DockyardDbContext> contexts,
    SearchIndexQueue queue,
    TimeProvider time,
    ILogger<SearchIndexBootstrap> logger) : BackgroundService
{
    public const string CursorName = "search-index";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.Begin().WaitAsync(stoppingToken);
            await using (var db = await contexts.CreateDbContextAsync(stoppingToken))
            {
                if (await db.DeliveryCursors.AsNoTracking().AnyAsync(c => c.Name == CursorName, stoppingToken))
                {
                    // Built: only what the last process marked and did not index yet (it died, or stopped mid-burst).
                    foreach (var repository in await SearchIndexQueue.StaleAsync(db, stoppingToken))
                    {
                        queue.Mark(repository);
                    }

                    return;
                }
            }

            // Through the queue, like the events: one loop writes rows, so a row derived earlier never overwrites a
            // newer one (indexing here while events were indexed there raced). Marked repositories not yet indexed
            // when the process dies have no row and are found by StaleAsync at the next start.
            var marked = await MarkEveryRepositoryAsync(stoppingToken);
            await RecordBuiltAsync(contexts, marked, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            // Nothing is lost: the next start tries again, and `dockyard search-index rebuild` does the same.
            LogFailed(error);
        }
    }

    private async Task<int> MarkEveryRepositoryAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = await db.Repositories.AsNoTracking().Select(r => r.Name).ToListAsync(cancellationToken);
        foreach (var name in names)
        {
            queue.Mark(name);
        }

        return names.Count;
    }

    /// <summary>Rebuilds and records that a rebuild completed (what <c>dockyard search-index rebuild</c> runs, with the server stopped).</summary>
    public static async Task<int> RebuildAsync(IDbContextFactory<DockyardDbContext> contexts, SearchIndexer indexer, TimeProvider time, CancellationToken cancellationToken, IProgress<int>? progress = null)
    {
        var count = await indexer.RebuildAsync(progress, cancellationToken);
        await RecordBuiltAsync(contexts, count, time, cancellationToken);
        return count;
    }

    private static async Task RecordBuiltAsync(IDbContextFactory<DockyardDbContext> contexts, int count, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO delivery_cursors (name, position, updated_at) VALUES ({CursorName}, {count}, {now})
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """,
            cancellationToken);
    }

    [LoggerMessage(EventId = 9302, Level = LogLevel.Warning, Message = "Building the search index failed; it is retried at the next start (or run dockyard search-index rebuild)")]
    private partial void LogFailed(Exception error);
}
