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

    /// <summary>Receives each deleted (or, in a dry run, deletable) item.</summary>
    public Action<CollectedItem>? OnCollected { get; init; }
}
