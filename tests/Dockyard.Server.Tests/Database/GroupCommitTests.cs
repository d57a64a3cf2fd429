using System.Collections.Concurrent;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Database;

/// <summary>
/// <see cref="GroupCommit"/> on the server's real SQLite database: units that arrive together share one transaction,
/// a failing unit fails only its caller, a broken transaction fails the whole batch, callers return after the commit,
/// and units run in arrival order.
/// </summary>
public sealed class GroupCommitTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    private GroupCommit Writes => fixture.Server.GetRequiredService<GroupCommit>();

    [Fact]
    public async Task Batch_FailingUnitFailsOnlyItsCaller_OthersCommittedBeforeTheyReturn()
    {
        var prefix = Prefix();
        var (gate, blocker) = await BlockAsync();

        // Queued behind the blocker: one batch.
        var units = Enumerable.Range(0, 10).Select(i => i == 4
            ? Writes.RunAsync<int>(async (db, ct) => { await InsertAsync(db, $"{prefix}{i}", ct); throw new InvalidOperationException("unit 4 fails"); }, CancellationToken.None)
            : Writes.RunAsync(async (db, ct) => { await InsertAsync(db, $"{prefix}{i}", ct); return i; }, CancellationToken.None)).ToArray();
        gate.SetResult();
        await blocker;

        for (var i = 0; i < units.Length; i++)
        {
            if (i == 4)
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => units[i]);
                Assert.Equal("unit 4 fails", error.Message);
                continue;
            }

            Assert.Equal(i, await units[i]);
            Assert.True(await ExistsAsync($"{prefix}{i}"), $"unit {i} returned before its row was committed");
        }

        Assert.False(await ExistsAsync($"{prefix}4"));
    }

    private static readonly AsyncLocal<string?> Ambient = new();

    // Units read the caller's ambient state (the outbox row's actor comes from IHttpContextAccessor, an AsyncLocal):
    // run on the queue's loop without the caller's ExecutionContext, every pushed tag lost its "pushed by".
    [Fact]
    public async Task Units_RunInTheirCallersExecutionContext()
    {
        var (gate, blocker) = await BlockAsync();
        var units = Enumerable.Range(0, 5).Select(i => Task.Run(async () =>
        {
            Ambient.Value = $"caller {i}";
            return await Writes.RunAsync(async (db, ct) =>
            {
                var before = Ambient.Value;
                await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
                return (before, after: Ambient.Value);
            }, CancellationToken.None);
        })).ToArray();
        await Task.Delay(100);
        gate.SetResult();
        await blocker;

        for (var i = 0; i < units.Length; i++)
        {
            Assert.Equal(($"caller {i}", $"caller {i}"), await units[i]);
        }

        Assert.Null(Ambient.Value);
    }

    [Fact]
    public async Task Batch_TransactionLost_FailsEveryUnitWithTheDatabaseError()
    {
        var prefix = Prefix();
        var (gate, blocker) = await BlockAsync();

        var before = Writes.RunAsync(async (db, ct) => { await InsertAsync(db, $"{prefix}a", ct); return 1; }, CancellationToken.None);
        // Ends the shared transaction behind the batch's back, as SQLite does itself on a full disk or an I/O error.
        var breaker = Writes.RunAsync(async (db, ct) => await db.Database.ExecuteSqlRawAsync("ROLLBACK", ct), CancellationToken.None);
        var after = Writes.RunAsync(async (db, ct) => { await InsertAsync(db, $"{prefix}b", ct); return 2; }, CancellationToken.None);
        gate.SetResult();
        await blocker;

        // One error for the whole batch (Microsoft.Data.Sqlite's "transaction has completed"), the same for every caller.
        var errors = new List<Exception>();
        foreach (var unit in new[] { before, breaker, after })
        {
            errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => unit));
        }

        Assert.All(errors, error => Assert.Same(errors[0], error));

        Assert.False(await ExistsAsync($"{prefix}a"));
        Assert.False(await ExistsAsync($"{prefix}b"));

        // The queue goes on with the next batch.
        Assert.Equal(3, await Writes.RunAsync(async (db, ct) => { await InsertAsync(db, $"{prefix}c", ct); return 3; }, CancellationToken.None));
        Assert.True(await ExistsAsync($"{prefix}c"));
    }

    [Fact]
    public async Task Units_RunInArrivalOrder_RollBackKeepsItsResultAndUndoesItsWrites()
    {
        var prefix = Prefix();
        var order = new ConcurrentQueue<int>();
        var units = Enumerable.Range(0, 100).Select(i => Writes.RunAsync(
            async (db, ct) =>
            {
                order.Enqueue(i);
                await InsertAsync(db, $"{prefix}{i}", ct);
                return i % 10 == 0 ? throw new GroupCommit.RollBack(-i) : i;
            },
            CancellationToken.None)).ToArray();

        var results = await Task.WhenAll(units);

        Assert.Equal(Enumerable.Range(0, 100), order);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? -i : i), results);
        Assert.False(await ExistsAsync($"{prefix}10"));
        Assert.True(await ExistsAsync($"{prefix}11"));
    }

    /// <summary>A unit that holds the queue until the gate opens; once it runs, what is queued next forms the next batch.</summary>
    private async Task<(TaskCompletionSource Gate, Task<int> Blocker)> BlockAsync()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Writes.RunAsync(
            async (_, _) =>
            {
                started.SetResult();
                await gate.Task;
                return 0;
            },
            CancellationToken.None);
        await started.Task;
        return (gate, blocker);
    }

    private static string Prefix() => $"groupcommit/r{Guid.NewGuid():N}/";

    private static Task InsertAsync(DockyardDbContext db, string name, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO repositories (name, visibility, created_at) VALUES ({name}, {"Private"}, {0L})", cancellationToken);

    private async Task<bool> ExistsAsync(string name)
    {
        await using var db = await fixture.Server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.Repositories.AsNoTracking().AnyAsync(r => r.Name == name);
    }
}
