using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Events;

/// <summary>
/// Hands the events recorded in <c>registry_outbox</c> to every <see cref="IRegistryEventConsumer"/>, in id order,
/// at least once: the position reached is the <c>events</c> row of <c>delivery_cursors</c>, saved after each batch,
/// so a restart (even after kill -9) resumes there and may hand the last batch over again (consumers tolerate repeats,
/// recognising them by <see cref="PublishedRegistryEvent.EventId"/>). Woken at once by a local commit
/// (<see cref="RegistryOutboxSignal"/>), it also polls every <see cref="RegistryEventOptions.PollInterval"/> for rows
/// written by other replicas and CLI verbs. Only the holder of <see cref="RegistryOutboxLease"/> dispatches. Rows
/// behind the cursor are pruned once older than <see cref="RegistryEventOptions.OutboxRetention"/>.
/// </summary>
/// <remarks>
/// Ids follow commit order, which is what lets a cursor skip nothing: SQLite has one writer at a time, and on
/// PostgreSQL every writer of the outbox takes the same transaction lock right before its insert and holds it
/// until commit (<see cref="EfRegistryIndex"/>).
/// </remarks>
internal sealed partial class RegistryOutboxDispatcher(
    IDbContextFactory<DockyardDbContext> contexts,
    RegistryEventConsumers consumers,
    RegistryOutboxSignal signal,
    RegistryOutboxLease lease,
    TimeProvider time,
    IOptions<RegistryEventOptions> options,
    ILogger<RegistryOutboxDispatcher> logger) : BackgroundService
{
    public const string CursorName = "events";

    private const int BatchSize = 100;

    // A consumer that fails on an event (its database write failed, say) gets it again after 1, 2, 4, … 60 s; after
    // MaxAttempts it is skipped, logged as an error, so one poisoned event cannot stop delivery of all later ones.
    private const int MaxAttempts = 8;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ErrorDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var held = await lease.TryAcquireAsync(stoppingToken);
                if (held is null)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                    continue;
                }

                await using (held)
                {
                    await DispatchWhileHeldAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The database is unreachable or not migrated yet: nothing is lost, the rows wait.
                LogFailed(error);
                try
                {
                    await Task.Delay(ErrorDelay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DispatchWhileHeldAsync(CancellationToken cancellationToken)
    {
        var cursor = await ReadCursorAsync(cancellationToken);
        var pruned = time.GetTimestamp();
        while (true)
        {
            var rows = await ReadAfterAsync(cursor, cancellationToken);
            foreach (var row in rows)
            {
                await HandOverAsync(row, cancellationToken);
                cursor = row.Id;
            }

            if (rows.Count > 0)
            {
                await SaveCursorAsync(cursor, cancellationToken);
            }

            if (rows.Count == BatchSize)
            {
                continue;
            }

            if (time.GetElapsedTime(pruned) >= options.Value.OutboxRetention / 4)
            {
                await PruneAsync(cursor, cancellationToken);
                pruned = time.GetTimestamp();
            }

            await signal.WaitAsync(options.Value.PollInterval, cancellationToken);
        }
    }

    private async Task HandOverAsync(RegistryOutboxEntity row, CancellationToken cancellationToken)
    {
        if (RegistryOutboxCodec.Decode(row) is not { } published)
        {
            LogUnreadable(row.Id, row.Kind);
            return;
        }

        var pending = consumers.All;
        for (var attempt = 1; ; attempt++)
        {
            pending = await consumers.DispatchAsync(published, pending, cancellationToken);
            if (pending.Count == 0)
            {
                return;
            }

            if (attempt == MaxAttempts)
            {
                LogGaveUp(row.Id, row.Kind, row.Repository, MaxAttempts, string.Join(", ", pending.Select(c => c.GetType().Name)));
                return;
            }

            var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt - 1), MaxRetryDelay.TotalSeconds));
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private async Task<long> ReadCursorAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DeliveryCursors.AsNoTracking().Where(c => c.Name == CursorName).Select(c => c.Position).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<List<RegistryOutboxEntity>> ReadAfterAsync(long cursor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RegistryOutbox.AsNoTracking().Where(r => r.Id > cursor).OrderBy(r => r.Id).Take(BatchSize).ToListAsync(cancellationToken);
    }

    private async Task SaveCursorAsync(long position, CancellationToken cancellationToken)
    {
        // Never backwards: a replica that lost its lease without noticing cannot undo the progress of the new holder.
        var now = time.GetUtcNow().UtcTicks;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO delivery_cursors (name, position, updated_at) VALUES ({CursorName}, {position}, {now})
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            WHERE delivery_cursors.position < excluded.position
            """,
            cancellationToken);
    }

    private async Task PruneAsync(long cursor, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.OutboxRetention;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.RegistryOutbox.Where(r => r.Id <= cursor && r.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPruned(deleted);
        }
    }

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Registry event outbox dispatch failed; retrying (recorded events wait in the database)")]
    private partial void LogFailed(Exception error);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Registry outbox row {Id} ({Kind}) cannot be read; skipped")]
    private partial void LogUnreadable(long id, string kind);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Registry outbox row {Id} ({Kind} in {Repository}) failed in {Consumers} {Attempts} times; skipped for them")]
    private partial void LogGaveUp(long id, string kind, string repository, int attempts, string consumers);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Debug, Message = "Pruned {Count} delivered registry outbox rows")]
    private partial void LogPruned(int count);
}
