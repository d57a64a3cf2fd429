namespace Dockyard.Server.Data.Entities;

/// <summary>A team inside an organization; permissions can be granted to it.</summary>
internal sealed class TeamEntity
{
    public long Id { get; set; }

    public long OrganizationId { get; set; }

    /// <summary>Lowercase, unique within the organization.</summary>
    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>When set, membership is synced from this LDAP group (its DN).</summary>
    public string? LdapGroup { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
