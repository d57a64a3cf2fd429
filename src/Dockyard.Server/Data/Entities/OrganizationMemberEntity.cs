namespace Dockyard.Server.Data.Entities;

/// <summary>A user's membership of an organization; owners administer it and all its repositories.</summary>
internal sealed class OrganizationMemberEntity
{
    public long OrganizationId { get; set; }

    public long UserId { get; set; }

    public bool IsOwner { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
