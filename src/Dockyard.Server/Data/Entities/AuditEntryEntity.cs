namespace Dockyard.Server.Data.Entities;

/// <summary>
/// One audit trail entry. Rows are only ever appended (and pruned from the oldest end behind a checkpoint); each
/// row's <see cref="Hash"/> chains it to the row before (see <c>Audit/AuditChain</c>).
/// </summary>
internal sealed class AuditEntryEntity
{
    /// <summary>Monotonic sequence assigned by the single writer: 1, 2, 3, … without gaps.</summary>
    public long Id { get; set; }

    public DateTimeOffset Time { get; set; }

    public required string ActorKind { get; set; }

    public required string ActorName { get; set; }

    public long? ActorId { get; set; }

    public string? AuthMethod { get; set; }

    public string? SourceIp { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Stable dotted name, e.g. <c>registry.manifest.push</c>.</summary>
    public required string Action { get; set; }

    public string? Repository { get; set; }

    /// <summary>Tag or digest as the client named it.</summary>
    public string? Reference { get; set; }

    public string? Digest { get; set; }

    /// <summary>The management object, e.g. <c>orgs/acme/members/bob</c>.</summary>
    public string? Resource { get; set; }

    /// <summary>The organization (namespace) the entry belongs to, for owners' scoped view.</summary>
    public string? Organization { get; set; }

    /// <summary><c>success</c>, <c>denied</c> or <c>failed</c>.</summary>
    public required string Outcome { get; set; }

    public string? Reason { get; set; }

    public string? RequestId { get; set; }

    /// <summary>Action-specific JSON (scopes granted, sync counts, changed fields, checkpoint data).</summary>
    public string? Details { get; set; }

    /// <summary>Lowercase hex SHA-256 of the previous entry's hash and this entry's canonical form.</summary>
    public required string Hash { get; set; }
}
