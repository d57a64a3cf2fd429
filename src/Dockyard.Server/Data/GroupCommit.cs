using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Data;

/// <summary>
/// Group commit for the small write transactions of concurrent requests (reserve and link a blob, store a manifest and
/// its tag, audit entries, outbox rows).
/// </summary>
/// <remarks>
/// Why: SQLite has one writer. Concurrent write transactions queued on its lock (Microsoft.Data.Sqlite retries a busy
/// lock every 150 ms, which made p99 of parallel pushes hundreds of milliseconds) and every commit paid its own WAL fsync.
/// On SQLite the units therefore go to one queue: a single loop runs the units that arrived together one after another
/// on one connection inside one transaction, each in its own savepoint, and commits once. A caller's task completes only
/// after that commit, so nothing is reported done before it is durable. A unit that throws is rolled back to its
/// savepoint and fails only its caller; a failed commit (or a transaction SQLite itself rolled back, e.g. disk full)
/// fails every unit of the batch with that error. Units run in arrival order. A unit must not wait for another unit
/// (it would wait for its own batch): it may read through other contexts and touch storage, nothing more.
/// On PostgreSQL (row locks, many writers, replicas) each unit runs in its own transaction, as before.
/// </remarks>
internal sealed class GroupCommit : IAsyncDisposable, IDisposable
{
    /// <summary>Most units in one transaction: bounds how long one commit keeps the first caller waiting.</summary>
    public const int MaxBatch = 64;

    private const string Savepoint = "unit";

    private readonly IDbContextFactory<DockyardDbContext> _contexts;
    private readonly Channel<Pending>? _queue;
    private readonly Task? _loop;

    public GroupCommit(IDbContextFactory<DockyardDbContext> contexts, IOptions<DatabaseOptions> options)
    {
        _contexts = contexts;
        if (options.Value.Provider == DatabaseProvider.Sqlite)
        {
            _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
            _loop = Task.Run(LoopAsync);
        }
    }

    /// <summary>
    /// True on SQLite: units run one after another, in arrival order, on one connection; each sees what the units before
    /// it in its transaction wrote.
    /// </summary>
    public bool Queues => _queue is not null;

    /// <summary>
    /// Runs <paramref name="unit"/> in a transaction and returns its result once that transaction has committed. The unit
    /// must not begin or commit a transaction itself; to undo its own writes and still return a result it throws
    /// <see cref="RollBack"/>.
    /// </summary>
    public Task<T> RunAsync<T>(Func<DockyardDbContext, CancellationToken, Task<T>> unit, CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            return RunAloneAsync(unit, cancellationToken);
        }

        var pending = new Pending<T>(unit, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit));
        }

        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue is not null && _queue.Writer.TryComplete())
        {
            await _loop!;
        }
    }

    /// <summary>For containers disposed synchronously (CLI verbs' hosts in a <c>using</c>): waits for the queued units.</summary>
    public void Dispose()
    {
        if (_queue is not null && _queue.Writer.TryComplete())
        {
            _loop!.GetAwaiter().GetResult();
        }
    }

    private async Task<T> RunAloneAsync<T>(Func<DockyardDbContext, CancellationToken, Task<T>> unit, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        T result;
        try
        {
            result = await unit(db, cancellationToken);
        }
        catch (RollBack rollBack)
        {
            return (T)rollBack.Result!; // disposing the transaction rolls it back
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue!.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await RunBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task RunBatchAsync(List<Pending> batch)
    {
        var done = new List<Pending>(batch.Count);
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            foreach (var unit in batch)
            {
                if (unit.CancellationToken.IsCancellationRequested)
                {
                    unit.Fail(new OperationCanceledException(unit.CancellationToken));
                    continue;
                }

                await transaction.CreateSavepointAsync(Savepoint, CancellationToken.None);
                Exception? failure = null;
                try
                {
                    await unit.ExecuteAsync(db);
                }
                catch (Exception error)
                {
                    failure = error;
                }

                if (failure is null)
                {
                    await transaction.ReleaseSavepointAsync(Savepoint, CancellationToken.None);
                    done.Add(unit);
                    continue;
                }

                // Undo this unit only. If the transaction itself is gone, this throws and the whole batch fails below.
                await transaction.RollbackToSavepointAsync(Savepoint, CancellationToken.None);
                await transaction.ReleaseSavepointAsync(Savepoint, CancellationToken.None);
                db.ChangeTracker.Clear();
                if (failure is RollBack)
                {
                    done.Add(unit);
                }
                else
                {
                    unit.Fail(failure);
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception error)
        {
            // Begin, a savepoint or the commit failed: nothing of this batch was committed.
            foreach (var unit in batch)
            {
                unit.Fail(error);
            }

            return;
        }

        foreach (var unit in done)
        {
            unit.Complete();
        }
    }

    /// <summary>Thrown by a unit to undo its writes and still answer <see cref="Result"/> (e.g. "these references are missing").</summary>
    public sealed class RollBack(object? result) : Exception("The unit rolled back its writes.")
    {
        public object? Result { get; } = result;
    }

    private abstract class Pending(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public abstract Task ExecuteAsync(DockyardDbContext db);

        public abstract void Complete();

        /// <summary>Fails the caller unless its task already ended (a unit that failed alone, then its batch's commit).</summary>
        public abstract void Fail(Exception error);
    }

    private sealed class Pending<T>(Func<DockyardDbContext, CancellationToken, Task<T>> unit, CancellationToken cancellationToken) : Pending(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // The caller's ambient state (IHttpContextAccessor, an AsyncLocal, names the outbox row's actor): the unit runs
        // on the queue's loop, so it gets the caller's ExecutionContext back, or every pushed tag lost its pusher.
        private readonly ExecutionContext? _caller = ExecutionContext.Capture();
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override async Task ExecuteAsync(DockyardDbContext db)
        {
            try
            {
                _result = await Start(db);
            }
            catch (RollBack rollBack)
            {
                _result = (T)rollBack.Result!;
                throw;
            }
        }

        public override void Complete() => _completion.TrySetResult(_result!);

        /// <summary>Starts the unit inside the caller's context; its continuations keep that context.</summary>
        private Task<T> Start(DockyardDbContext db)
        {
            if (_caller is null)
            {
                return unit(db, CancellationToken);
            }

            Task<T>? started = null;
            ExecutionContext.Run(_caller, _ => started = unit(db, CancellationToken), null);
            return started!;
        }

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }
}
