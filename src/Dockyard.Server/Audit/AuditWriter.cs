using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dockyard.Server.Audit;

/// <summary>
/// The single writer of the chain. Appends are serialized by a process-wide lock and run in one database
/// transaction that reads the last entry and inserts the new ones with ids last+1, … and chained hashes. On SQLite
/// the transaction starts with <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), which takes the database
/// write lock before the read, so processes sharing the file serialize too. On PostgreSQL the transaction first
/// takes the audit chain's advisory lock (<see cref="DatabaseLockKeys.AuditChain"/>), and the read that follows
/// (read committed) sees every earlier replica's commit, so N replicas extend one chain. Committed entries are
/// handed to the SIEM stream afterwards.
/// </summary>
internal sealed class AuditWriter(IDbContextFactory<DockyardDbContext> contexts, AuditStream stream, AuditMetrics metrics)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Appends <paramref name="entries"/> (ids and hashes are assigned here) and commits.</summary>
    public Task AppendAsync(IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken) =>
        AppendAsync(entries, beforeAppend: null, cancellationToken);

    /// <summary>
    /// As <see cref="AppendAsync(IReadOnlyList{AuditEntryEntity}, CancellationToken)"/>, running
    /// <paramref name="beforeAppend"/> first inside the same lock and transaction (pruning uses it).
    /// </summary>
    public Task AppendAsync(
        IReadOnlyList<AuditEntryEntity> entries,
        Func<DockyardDbContext, AuditEntryEntity?, CancellationToken, Task<IReadOnlyList<AuditEntryEntity>>>? beforeAppend,
        CancellationToken cancellationToken) =>
        AppendAsync(entries, beforeAppend, firstId: null, cancellationToken);

    /// <summary>
    /// Appends <paramref name="entry"/> with the id <paramref name="firstIdOf"/> chooses from the last id (0 when the
    /// chain is empty): a <c>system.restore</c> entry that opens a new id range (<see cref="AuditIdRange"/>). The hash
    /// still chains from the last entry; the ids skipped are what <see cref="AuditVerifier"/> accepts after that
    /// entry only. Returns the id given.
    /// </summary>
    /// <exception cref="InvalidOperationException">The chosen id is not above the last id.</exception>
    public async Task<long> AppendOpeningRangeAsync(AuditEntryEntity entry, Func<long, long> firstIdOf, CancellationToken cancellationToken)
    {
        await AppendAsync([entry], beforeAppend: null, firstIdOf, cancellationToken);
        return entry.Id;
    }

    private async Task AppendAsync(
        IReadOnlyList<AuditEntryEntity> entries,
        Func<DockyardDbContext, AuditEntryEntity?, CancellationToken, Task<IReadOnlyList<AuditEntryEntity>>>? beforeAppend,
        Func<long, long>? firstId,
        CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (db.HasSharedLocks)
            {
                await db.LockAsync(new[] { DatabaseLockKeys.AuditChain }, cancellationToken);
            }

            var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
            var all = entries;
            if (beforeAppend is not null)
            {
                all = [.. await beforeAppend(db, last, cancellationToken), .. entries];
            }

            var id = last?.Id ?? 0;
            if (firstId?.Invoke(id) is { } first)
            {
                id = first > id ? first - 1 : throw new InvalidOperationException($"Audit id {first} is not above the last id {id}.");
            }

            var previous = last is not null && AuditChain.TryParse(last.Hash, out var parsed) ? parsed : AuditChain.Genesis;
            foreach (var entry in all)
            {
                entry.Id = ++id;
                var hash = AuditChain.Hash(previous, entry);
                entry.Hash = AuditChain.ToHex(hash);
                previous = hash;
            }

            await AuditInsert.ExecuteAsync(db, transaction.GetDbTransaction(), all, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            metrics.Written(all.Count);
            stream.Publish(all);
        }
        finally
        {
            _lock.Release();
        }
    }
}
