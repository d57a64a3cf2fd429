namespace Dockyard.Server.Data.Entities;

/// <summary>An organization: a repository namespace owned by a group of users.</summary>
internal sealed class OrganizationEntity
{
    public long Id { get; set; }

    /// <summary>Lowercase; the first component of its repositories' names. Never equal to a username.</summary>
    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>What every member may do on the organization's repositories without a specific grant.</summary>
    public RepositoryRole DefaultMemberRole { get; set; } = RepositoryRole.None;

    /// <summary>Storage limit in bytes over the distinct blobs and manifests of its repositories; null: unlimited.</summary>
    public long? StorageQuotaBytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
