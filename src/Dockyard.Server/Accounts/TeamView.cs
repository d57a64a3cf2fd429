using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A team as the API and the UI show it.</summary>
internal sealed record TeamView(long Id, string Name, string? Description, string? LdapGroup, DateTimeOffset CreatedAt)
{
    public static TeamView From(TeamEntity team) => new(team.Id, team.Name, team.Description, team.LdapGroup, team.CreatedAt);
}
