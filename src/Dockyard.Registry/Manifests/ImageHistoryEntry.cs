namespace Dockyard.Registry.Manifests;

/// <summary>One line of an image config's <c>history</c>: the build step, and whether it produced a layer.</summary>
public sealed record ImageHistoryEntry
{
    public DateTimeOffset? Created { get; init; }

    public string? CreatedBy { get; init; }

    public string? Comment { get; init; }

    /// <summary>True when the step changed only metadata (ENV, CMD, …) and made no filesystem layer.</summary>
    public bool EmptyLayer { get; init; }
}
