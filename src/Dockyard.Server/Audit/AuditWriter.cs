using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// The single writer of the chain. Appends are serialized by a process-wide lock and run in one database
/// transaction that reads the last entry and inserts the new ones with ids last+1, … and chained hashes. On SQLite
/// the transaction starts with <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), which takes the database
/// write lock before the read, so processes sharing the file serialize too. On PostgreSQL the transaction first
/// takes the audit chain's advisory lock (<see cref="DatabaseLockKeys.AuditChain"/>), and the read that follows
/// (read committed) sees every earlier replica's commit, so N replicas extend one chain. The SIEM stream is only woken
/// afterwards: it reads the committed entries from the database (<see cref="AuditStream"/>).
/// The transaction is a unit of <see cref="GroupCommit"/>: on SQLite it shares its commit with the registry's writes
/// and other appends that arrived at the same time (one append at a time, in order, by the group commit's queue).
/// <para>
/// When the storage is full, the entries of reads and logins are deferred (<see cref="AppendOrDeferAsync"/>): kept in
/// memory, up to <see cref="AuditOptions.DeferredCapacity"/>, and written in their order at the head of the next append
/// that succeeds (<see cref="AuditPullWriter"/> retries every <see cref="AuditOptions.DeferredRetryInterval"/>). State
/// changes keep calling <see cref="AppendAsync(IReadOnlyList{AuditEntryEntity}, CancellationToken)"/>, which fails
/// when the entry cannot be written, so the change fails with it.
/// </para>
/// </summary>
internal sealed partial class AuditWriter(
    GroupCommit writes,
    AuditStream stream,
    AuditMetrics metrics,
    IOptions<AuditOptions> options,
    ILogger<AuditWriter> logger)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Lock _deferredGate = new();
    private readonly List<AuditEntryEntity> _deferred = [];
    private bool _overflowed;

    /// <summary>Entries waiting for space to be written.</summary>
    public int DeferredCount
    {
        get
        {
            lock (_deferredGate)
            {
                return _deferred.Count;
            }
        }
    }

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
        // On SQLite the group commit runs units one after another in one transaction, in arrival order, and each reads
        // the last entry the units before it wrote: the chain needs no lock of ours there, and concurrent appends share
        // one commit (under the lock each append waited for its own: manifest PUTs over 8 connections went no faster
        // than one). Deferred entries, pruning and a new id range keep the lock: they take or remove what others see.
        var alone = !writes.Queues || beforeAppend is not null || firstId is not null || DeferredCount > 0;
        if (alone)
        {
            await _lock.WaitAsync(cancellationToken);
        }

        try
        {
            var (all, deferred) = await writes.RunAsync((db, ct) => AppendUnitAsync(db, entries, beforeAppend, firstId, takeDeferred: alone, ct), cancellationToken);
            if (deferred > 0)
            {
                lock (_deferredGate)
                {
                    _deferred.RemoveRange(0, deferred);
                    _overflowed = false;
                }

                LogDeferredWritten(deferred);
            }

            metrics.Written(all);
            stream.Signal();
        }
        finally
        {
            if (alone)
            {
                _lock.Release();
            }
        }
    }

    /// <summary>Inside the transaction: chains and inserts the deferred entries, then <paramref name="entries"/>. Returns how many in all, how many deferred.</summary>
    private async Task<(int All, int Deferred)> AppendUnitAsync(
        DockyardDbContext db,
        IReadOnlyList<AuditEntryEntity> entries,
        Func<DockyardDbContext, AuditEntryEntity?, CancellationToken, Task<IReadOnlyList<AuditEntryEntity>>>? beforeAppend,
        Func<long, long>? firstId,
        bool takeDeferred,
        CancellationToken cancellationToken)
    {
        if (db.HasSharedLocks)
        {
            await db.LockAsync(new[] { DatabaseLockKeys.AuditChain }, cancellationToken);
        }

        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);

        // Deferred entries happened first: they go first. Only an append under the lock takes (and then removes) them.
        AuditEntryEntity[] deferred = [];
        if (takeDeferred)
        {
            lock (_deferredGate)
            {
                deferred = [.. _deferred];
            }
        }

        IReadOnlyList<AuditEntryEntity> all = deferred.Length == 0 ? entries : [.. deferred, .. entries];
        if (beforeAppend is not null)
        {
            all = [.. await beforeAppend(db, last, cancellationToken), .. all];
        }

        await stream.BeforeAppendAsync(db, last?.Id ?? 0, cancellationToken);
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

        await AuditInsert.ExecuteAsync(db, db.Database.CurrentTransaction!.GetDbTransaction(), all, cancellationToken);
        return (all.Count, deferred.Length);
    }

    /// <summary>
    /// For reads and logins: appends <paramref name="entries"/>, or, when the storage is full, keeps them to be written
    /// once there is space (counted in <c>dockyard_audit_deferred_total</c>; beyond the capacity they are dropped and
    /// counted in <c>dockyard_audit_dropped_total</c>). Any other failure is thrown, as by <see cref="AppendAsync(IReadOnlyList{AuditEntryEntity}, CancellationToken)"/>.
    /// </summary>
    public async Task AppendOrDeferAsync(IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken)
    {
        try
        {
            await AppendAsync(entries, cancellationToken);
        }
        catch (Exception error) when (OutOfSpace.Is(error))
        {
            Defer(entries, error.Message);
        }
    }

    /// <summary>Keeps <paramref name="entries"/>, which could not be written for lack of space, for the next append.</summary>
    public void Defer(IReadOnlyList<AuditEntryEntity> entries, string reason)
    {
        int kept;
        int total;
        bool firstOverflow;
        lock (_deferredGate)
        {
            kept = Math.Clamp(Math.Max(1, options.Value.DeferredCapacity) - _deferred.Count, 0, entries.Count);
            _deferred.AddRange(entries.Take(kept));
            total = _deferred.Count;
            firstOverflow = kept < entries.Count && !_overflowed;
            _overflowed |= kept < entries.Count;
        }

        metrics.Deferred(kept);
        if (kept < entries.Count)
        {
            metrics.DroppedDeferred(entries.Count - kept);
            if (firstOverflow)
            {
                LogDeferredDropped(total);
            }
        }

        if (kept > 0 && total == kept)
        {
            // The first deferral of an episode: one warning, the metric counts the rest.
            LogDeferring(reason);
        }
    }

    /// <summary>Writes the deferred entries if there are any and there is space again; true when none are left.</summary>
    public async Task<bool> TryWriteDeferredAsync(CancellationToken cancellationToken)
    {
        if (DeferredCount == 0)
        {
            return true;
        }

        try
        {
            await AppendAsync([], cancellationToken);
            return DeferredCount == 0;
        }
        catch (Exception error) when (OutOfSpace.Is(error))
        {
            return false;
        }
    }

    /// <summary>At shutdown: entries that could not be written are lost; counted and logged.</summary>
    public void DropDeferred()
    {
        int count;
        lock (_deferredGate)
        {
            count = _deferred.Count;
            _deferred.Clear();
        }

        if (count > 0)
        {
            metrics.DroppedDeferred(count);
            LogDeferredLost(count);
        }
    }

    [LoggerMessage(EventId = 3140, Level = LogLevel.Warning, Message = "Storage full: audit entries of reads and logins are deferred until there is space ({Reason}); see dockyard_audit_deferred_total")]
    private partial void LogDeferring(string reason);

    [LoggerMessage(EventId = 3141, Level = LogLevel.Information, Message = "Wrote {Count} deferred audit entries")]
    private partial void LogDeferredWritten(int count);

    [LoggerMessage(EventId = 3142, Level = LogLevel.Error, Message = "Deferred audit queue full ({Total} entries): further entries of reads and logins are dropped until space is back (dockyard_audit_dropped_total)")]
    private partial void LogDeferredDropped(int total);

    [LoggerMessage(EventId = 3143, Level = LogLevel.Error, Message = "Shutting down with {Count} deferred audit entries that could not be written (no space); they are lost (dockyard_audit_dropped_total)")]
    private partial void LogDeferredLost(int count);
}
