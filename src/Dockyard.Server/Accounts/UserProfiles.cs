using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>Reads a user's own <see cref="UserProfile"/> (the caller is that user: nothing to authorize beyond being signed in).</summary>
internal static class UserProfiles
{
    /// <summary>The profile of user <paramref name="userId"/>, or null when the account is gone.</summary>
    public static async Task<UserProfile?> ReadAsync(IDbContextFactory<DockyardDbContext> contexts, long userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var organizations = await (
            from member in db.OrganizationMembers.AsNoTracking()
            join organization in db.Organizations.AsNoTracking() on member.OrganizationId equals organization.Id
            where member.UserId == userId
            orderby organization.Name
            select new UserProfile.Membership(organization.Name, member.IsOwner)).ToListAsync(cancellationToken);
        var teams = await (
            from member in db.TeamMembers.AsNoTracking()
            join team in db.Teams.AsNoTracking() on member.TeamId equals team.Id
            join organization in db.Organizations.AsNoTracking() on team.OrganizationId equals organization.Id
            where member.UserId == userId
            orderby organization.Name, team.Name
            select new UserProfile.TeamMembership(organization.Name, team.Name, member.Source == AccountSource.Ldap)).ToListAsync(cancellationToken);
        return new UserProfile(UserView.From(user), organizations, teams);
    }
}
