namespace Dockyard.Server.Data.Entities;

/// <summary>A repository; created on first blob or manifest write.</summary>
internal sealed class RepositoryEntity
{
    public required string Name { get; set; }

    public RepositoryVisibility Visibility { get; set; } = RepositoryVisibility.Private;

    /// <summary>Markdown shown in the UI.</summary>
    public string? Description { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Manifest GETs in the repository, by tag or by digest (not HEAD); flushed in batches by <c>PullCounter</c>.</summary>
    public long PullCount { get; set; }

    /// <summary>When a manifest of the repository was last pulled (GET), as of the last flush; null if never seen.</summary>
    public DateTimeOffset? LastPulledAt { get; set; }
}
