using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Audit;

/// <summary>
/// Walks the chain in id order, streaming from the database, and recomputes every hash. The first entry chains
/// from 32 zero bytes when its id is 1, else from the hash a checkpoint recorded for the entry just before it.
/// An edited row fails its own hash; a deleted row leaves a gap in the ids; a reordered row (ids swapped) fails
/// the hash of the first row moved, because the id is part of the canonical form. The one gap accepted is the one
/// just before a <c>system.restore</c> entry that names the id before it (<see cref="AuditIdRange"/>): a restore
/// continues the chain in a new id range, and its hash still chains from that entry.
/// </summary>
internal sealed class AuditVerifier(IDbContextFactory<DockyardDbContext> contexts)
{
    public const int ProgressEvery = 10_000;

    public async Task<AuditVerification> VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        long count = 0;
        string? lastHash = null;
        var first = await db.AuditEntries.MinAsync(e => (long?)e.Id, cancellationToken);
        if (first is not { } firstId)
        {
            return new AuditVerification(true, 0, null, null, null, null);
        }

        // A restore entry that comes first chains from the entry it names (pruned behind a checkpoint, or none).
        var head = await db.AuditEntries.AsNoTracking().Where(e => e.Id == firstId).Select(e => new { e.Action, e.Details }).SingleAsync(cancellationToken);
        var previousId = AuditIdRange.AfterIdOf(head.Action, head.Details) is { } after && after < firstId ? after : firstId - 1;
        var previous = previousId == 0 ? AuditChain.Genesis : await FindCheckpointAsync(db, previousId, cancellationToken);
        if (previous is null)
        {
            return Broken(firstId, $"entries before {firstId} are missing and no checkpoint records their pruning");
        }

        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (entry.Id != previousId + 1 && !(entry.Id > previousId && AuditIdRange.OpensRangeAfter(entry.Action, entry.Details, previousId)))
            {
                return Broken(entry.Id, $"entries {previousId + 1}..{entry.Id - 1} are missing (deleted)");
            }

            var computed = AuditChain.Hash(previous, entry);
            if (!AuditChain.TryParse(entry.Hash, out var stored) || !stored.AsSpan().SequenceEqual(computed))
            {
                return Broken(entry.Id, "hash mismatch: this entry was altered, or moved from another position");
            }

            previous = computed;
            previousId = entry.Id;
            lastHash = entry.Hash;
            if (++count % ProgressEvery == 0)
            {
                progress?.Report(count);
            }
        }

        progress?.Report(count);
        return new AuditVerification(true, count, null, null, count == 0 ? null : previousId, lastHash);

        AuditVerification Broken(long id, string reason) => new(false, count, id, reason, null, null);
    }

    private static async Task<byte[]?> FindCheckpointAsync(DockyardDbContext db, long prunedThroughId, CancellationToken cancellationToken)
    {
        var checkpoints = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.AuditCheckpoint)
            .OrderByDescending(e => e.Id)
            .Select(e => e.Details)
            .ToListAsync(cancellationToken);
        foreach (var details in checkpoints)
        {
            if (AuditCheckpoint.TryParse(details) is { } checkpoint
                && checkpoint.PrunedThroughId == prunedThroughId
                && AuditChain.TryParse(checkpoint.PrunedThroughHash, out var hash))
            {
                return hash;
            }
        }

        return null;
    }
}
