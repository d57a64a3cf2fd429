using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Search;

/// <summary>
/// Fills the search index once for an installation that had repositories before search existed: after the database
/// set-up, unless the <c>search-index</c> row of <c>delivery_cursors</c> says a rebuild completed, it rebuilds in the
/// background (searches meanwhile find what is indexed so far) and then writes that row. Events that arrive meanwhile
/// are indexed by <see cref="SearchIndexConsumer"/> as usual; both write whole rows, so the order does not matter.
/// Replicas starting together may each rebuild; the result is the same.
/// </summary>
internal sealed partial class SearchIndexBootstrap(
    DatabaseInitializer database,
    IDbContextFactory<DockyardDbContext> contexts,
    SearchIndexer indexer,
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
                    return;
                }
            }

            await RebuildAsync(contexts, indexer, time, stoppingToken);
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

    /// <summary>Rebuilds and records that a rebuild completed (also what <c>dockyard search-index rebuild</c> runs).</summary>
    public static async Task<int> RebuildAsync(IDbContextFactory<DockyardDbContext> contexts, SearchIndexer indexer, TimeProvider time, CancellationToken cancellationToken, IProgress<int>? progress = null)
    {
        var count = await indexer.RebuildAsync(progress, cancellationToken);
        var now = time.GetUtcNow().UtcTicks;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO delivery_cursors (name, position, updated_at) VALUES ({CursorName}, {count}, {now})
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """,
            cancellationToken);
        return count;
    }

    [LoggerMessage(EventId = 9302, Level = LogLevel.Warning, Message = "Building the search index failed; it is retried at the next start (or run dockyard search-index rebuild)")]
    private partial void LogFailed(Exception error);
}
