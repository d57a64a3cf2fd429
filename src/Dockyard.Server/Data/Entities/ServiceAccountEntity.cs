namespace Dockyard.Server.Data.Entities;

/// <summary>A non-human account of an organization (e.g. CI); acts only through its scoped access tokens.</summary>
internal sealed class ServiceAccountEntity
{
    public long Id { get; set; }

    public long OrganizationId { get; set; }

    /// <summary>Lowercase, unique within the organization.</summary>
    public required string Name { get; set; }

    public string? Description { get; set; }

    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}
