using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Jobs;

/// <summary>
/// The last garbage collections, read back from their audit entries (<see cref="GarbageCollectionRunner"/> records
/// each one, with its counts): the audit trail is the one record, so there is nothing else to keep in step.
/// </summary>
internal sealed class GarbageCollectionHistory(IDbContextFactory<DockyardDbContext> contexts)
{
    public const int MaxRuns = 100;

    /// <summary>The newest <paramref name="limit"/> runs, newest first.</summary>
    public async Task<IReadOnlyList<GarbageCollectionRun>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.SystemGc)
            .OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, MaxRuns)).ToListAsync(cancellationToken);
        return [.. entries.Select(e =>
        {
            using var details = JsonDocument.Parse(string.IsNullOrEmpty(e.Details) ? "{}" : e.Details);
            var root = details.RootElement;
            return new GarbageCollectionRun(
                e.Id,
                e.Time,
                e.ActorKind,
                e.ActorName,
                e.Outcome,
                e.Reason,
                root.TryGetProperty("dryRun", out var dry) && dry.ValueKind == JsonValueKind.True,
                Int(root, "manifestsDeleted"),
                Int(root, "blobsDeleted"),
                root.TryGetProperty("reclaimedBytes", out var bytes) && bytes.TryGetInt64(out var reclaimed) ? reclaimed : null,
                root.TryGetProperty("durationSeconds", out var duration) && duration.TryGetDouble(out var seconds) ? seconds : null,
                root.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.String ? warnings.GetString() : null);
        })];
    }

    private static int? Int(JsonElement root, string name) => root.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : null;
}
