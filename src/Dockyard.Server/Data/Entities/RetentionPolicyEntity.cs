namespace Dockyard.Server.Data.Entities;

/// <summary>
/// What retention keeps in a repository, or in every repository of an organization that has no policy of its own.
/// Exactly one of <see cref="OrganizationId"/> and <see cref="Repository"/> is set; each has at most one policy.
/// </summary>
internal sealed class RetentionPolicyEntity
{
    public long Id { get; set; }

    public long? OrganizationId { get; set; }

    public string? Repository { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Keep the N most recently pushed tags; null: no count rule.</summary>
    public int? KeepLastTags { get; set; }

    /// <summary>Tag globs that are always kept, newline-separated; null for none.</summary>
    public string? KeepTagPatterns { get; set; }

    /// <summary>Delete untagged manifests pushed longer ago than this many seconds; null: keep them.</summary>
    public long? DeleteUntaggedAfterSeconds { get; set; }

    /// <summary>Whether tags and manifests pushed within the last hour may be deleted too (normally they never are).</summary>
    public bool IncludeRecent { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
