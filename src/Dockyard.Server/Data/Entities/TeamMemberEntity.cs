namespace Dockyard.Server.Data.Entities;

/// <summary>A user in a team; <see cref="Source"/> tells whether LDAP sync manages the membership.</summary>
internal sealed class TeamMemberEntity
{
    public long TeamId { get; set; }

    public long UserId { get; set; }

    public AccountSource Source { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
