namespace Dockyard.Registry.Maintenance;

/// <summary>Online garbage collection. Bound from configuration section <c>Dockyard:GarbageCollection</c>.</summary>
public sealed record GarbageCollectionOptions
{
    public const string Section = "Dockyard:GarbageCollection";

    /// <summary>Runs collection on a schedule in the server (the <c>dockyard gc</c> verb and the API work either way).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Time between scheduled runs.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Delay before the first scheduled run after start-up (a restart loop must not collect every time).</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A blob uploaded, linked, mounted or referenced within this period is never collected, referenced or not: the
    /// time a client has between uploading layers and pushing the manifest that names them.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Also deletes manifests that no tag points at and no index references (off: only tags keep data alive when on).</summary>
    public bool DeleteUntaggedManifests { get; init; }

    /// <summary>An untagged manifest younger than this is kept even when <see cref="DeleteUntaggedManifests"/> is on.</summary>
    public TimeSpan UntaggedMinimumAge { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Blobs marked and deleted per batch (one transaction, one storage batch delete).</summary>
    public int BatchSize { get; init; } = 1000;
}

