namespace Dockyard.Registry.Maintenance;

/// <summary>One collection run's choices; unset values come from <see cref="GarbageCollectionOptions"/>.</summary>
public sealed record GarbageCollectionRequest
{
    /// <summary>Report what would be deleted without deleting anything.</summary>
    public bool DryRun { get; init; }

    public bool? DeleteUntaggedManifests { get; init; }

    public TimeSpan? Grace { get; init; }

    /// <summary>Receives running totals after each batch.</summary>
    public IProgress<GarbageCollectionProgress>? Progress { get; init; }

    /// <summary>
    /// Manifests to keep although nothing in the registry references them: true for a digest that something outside
    /// the registry still uses (a running container or service). Such a manifest is never deleted, so its children
    /// and blobs stay referenced too. Null keeps nothing extra.
    /// </summary>
    public Func<Digest, bool>? Keep { get; init; }

    /// <summary>Receives each deleted (or, in a dry run, deletable) item.</summary>
    public Action<CollectedItem>? OnCollected { get; init; }
}
