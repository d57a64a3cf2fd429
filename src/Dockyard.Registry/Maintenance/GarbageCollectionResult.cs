namespace Dockyard.Registry.Maintenance;

/// <summary>What one collection run deleted (or, for a dry run, would delete).</summary>
public sealed record GarbageCollectionResult
{
    public required bool DryRun { get; init; }

    /// <summary>Untagged manifests deleted (their bodies are counted among <see cref="BlobsDeleted"/>).</summary>
    public required int ManifestsDeleted { get; init; }

    /// <summary>Repository blob links removed.</summary>
    public required int LinksDeleted { get; init; }

    /// <summary>Blobs (layers, configs, manifest bodies) whose bytes were deleted from storage.</summary>
    public required int BlobsDeleted { get; init; }

    /// <summary>The sizes of the deleted blobs.</summary>
    public required long ReclaimedBytes { get; init; }

    /// <summary>Marked blobs left for the next run because this run ran out of its mark's lifetime.</summary>
    public required int Deferred { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>What the run left undone on purpose and why (e.g. untagged manifests not deleted); set by the caller that chose it.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public required TimeSpan Duration { get; init; }
}
