namespace Dockyard.Server.Jobs;

/// <summary>
/// One past garbage collection as its <c>system.gc</c> audit entry records it: when, who or what started it, the
/// outcome, and what it reclaimed (null counts when it did not finish: refused, failed, another run held the lease).
/// </summary>
internal sealed record GarbageCollectionRun(
    long AuditId,
    DateTimeOffset Time,
    string ActorKind,
    string Actor,
    string Outcome,
    string? Reason,
    bool DryRun,
    int? ManifestsDeleted,
    int? BlobsDeleted,
    long? ReclaimedBytes,
    double? DurationSeconds,
    string? Warnings);
