using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// The one writer of <c>engine_events</c>: consumers queue events and checkpoints into a bounded channel (a full
/// channel makes them wait, which slows the engine stream rather than losing events), and this drains it in batches
/// of up to <see cref="MaxBatch"/> — one transaction per batch, multi-row <c>INSERT … ON CONFLICT (dedup_key) DO
/// NOTHING</c>, so an event another replica (or an earlier connection) stored is ignored. After the commit the new
/// rows go to the live feed and to attribution.
/// </summary>
internal sealed partial class EventWriter(
    IDbContextFactory<DockyardDbContext> contexts,
    EventBroadcaster broadcaster,
    EventAttribution attribution,
    DatabaseInitializer database,
    ILogger<EventWriter> logger) : BackgroundService
{
    public const int MaxBatch = 1_000;
    private const int RowsPerStatement = 100;
    private const string Columns = "time_nano, engine, node_id, type, action, detail, actor_id, actor_name, attributes, scope, collection, user_name, reconciled, dedup_key, stack";
    private readonly Channel<EventWriteItem> _queue = Channel.CreateBounded<EventWriteItem>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<long, byte> _published = new();

    /// <summary>Ids this replica inserted and published; the tailer skips them.</summary>
    public bool PublishedHere(long id) => _published.TryRemove(id, out _);

    /// <summary>Forgets published ids at or below <paramref name="id"/> (the tailer has passed them).</summary>
    public void ForgetUpTo(long id)
    {
        foreach (var key in _published.Keys.Where(k => k <= id))
        {
            _published.TryRemove(key, out _);
        }
    }

    public ValueTask EnqueueAsync(StoredEvent stored, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new EventWriteItem(stored, null, null), cancellationToken);

    /// <summary>Queues a checkpoint behind the events already queued; the task completes when it is committed (false: the lease was lost).</summary>
    public async Task<bool> CheckpointAsync(EventCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new EventWriteItem(null, checkpoint, done), cancellationToken);
        return await done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Begin().WaitAsync(stoppingToken);
        var batch = new List<EventWriteItem>(MaxBatch);
        while (await WaitAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await WriteAsync(batch, stoppingToken);
            }
            catch (Exception error) when (error is DbException or DbUpdateException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                // Dropped, not retried forever: the consumer's next reconcile (replay from its checkpoint) restores them.
                LogWriteFailed(error, batch.Count);
                foreach (var item in batch)
                {
                    item.Done?.TrySetResult(false);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }

            batch.Clear();
        }
    }

    private async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await _queue.Reader.WaitToReadAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WriteAsync(List<EventWriteItem> batch, CancellationToken cancellationToken)
    {
        var inserted = new List<StoredEvent>();
        var checkpoints = new List<(EventWriteItem Item, bool Held)>();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var events = batch.Where(i => i.Event is not null).Select(i => i.Event!).ToList();
            for (var offset = 0; offset < events.Count; offset += RowsPerStatement)
            {
                var chunk = events.GetRange(offset, Math.Min(RowsPerStatement, events.Count - offset));
                inserted.AddRange(await InsertAsync(db, transaction, chunk, cancellationToken));
            }

            foreach (var item in batch.Where(i => i.Checkpoint is not null))
            {
                var checkpoint = item.Checkpoint!;
                var state = JsonSerializer.Serialize(checkpoint.State, EventsJsonContext.Default.KnownObjects);
                var changed = await db.Database.ExecuteSqlInterpolatedAsync(
                    $"UPDATE engine_event_leases SET state = {state}, state_time_nano = {checkpoint.TimeNano} WHERE engine = {checkpoint.Engine} AND holder = {checkpoint.Holder}",
                    cancellationToken);
                checkpoints.Add((item, changed == 1));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var (item, held) in checkpoints)
        {
            item.Done!.TrySetResult(held);
        }

        if (inserted.Count > 0)
        {
            // Only while someone listens does the tailer run and forget these again.
            if (broadcaster.SubscriberCount > 0)
            {
                foreach (var stored in inserted)
                {
                    _published[stored.Id] = 0;
                }
            }

            broadcaster.Publish(inserted);
            attribution.Track(inserted);
        }
    }

    private static async Task<List<StoredEvent>> InsertAsync(DockyardDbContext db, IDbContextTransaction transaction, List<StoredEvent> chunk, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var sql = new StringBuilder("INSERT INTO engine_events (").Append(Columns).Append(") VALUES ");
        for (var row = 0; row < chunk.Count; row++)
        {
            var e = chunk[row];
            sql.Append(row == 0 ? "(" : ", (");
            object?[] values =
            [
                e.TimeNano, e.Engine, e.NodeId, e.Type, e.Action, e.Detail, e.ActorId, e.ActorName,
                EventRecords.Serialize(e.Attributes), e.Scope, e.Collection, e.UserName, e.Reconciled, e.DedupKey, e.Stack,
            ];
            for (var column = 0; column < values.Length; column++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@p{row}_{column}");
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = values[column] ?? DBNull.Value;
                command.Parameters.Add(parameter);
                sql.Append(column == 0 ? string.Empty : ", ").Append(name);
            }

            sql.Append(')');
        }

        sql.Append(" ON CONFLICT (dedup_key) DO NOTHING RETURNING id, dedup_key");
        command.CommandText = sql.ToString();
        var byKey = chunk.GroupBy(e => e.DedupKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var inserted = new List<StoredEvent>(chunk.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(byKey[reader.GetString(1)] with { Id = reader.GetInt64(0) });
        }

        // RETURNING order is not guaranteed: the feed goes out in id order.
        inserted.Sort((a, b) => a.Id.CompareTo(b.Id));
        return inserted;
    }

    [LoggerMessage(EventId = 4530, Level = LogLevel.Error, Message = "Writing {Count} engine events failed; the consumers' next reconcile restores them")]
    private partial void LogWriteFailed(Exception error, int count);

    private sealed record EventWriteItem(StoredEvent? Event, EventCheckpoint? Checkpoint, TaskCompletionSource<bool>? Done);
}
