using System.Text.RegularExpressions;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ldap;

/// <summary>
/// Brings the database in line with what the directory says about one user: just-in-time creation, attribute
/// updates, and team memberships from group mappings. Only memberships with <see cref="AccountSource.Ldap"/> are
/// ever removed; memberships an administrator added by hand are left alone. A just-in-time creation is audited
/// (<c>user.create</c> by <c>system</c> with auth method <c>ldap</c>) before the login that caused it; so are a
/// deactivation and each membership added or removed (<see cref="LdapSyncAudit"/>).
/// </summary>
internal sealed partial class LdapAccountSync(IDbContextFactory<DockyardDbContext> contexts, Audit.AuditTrail audit, TimeProvider time)
{
    private const int MaxUsernameLength = 64;

    /// <summary>
    /// Updates the user, then syncs its teams. A login (<paramref name="isLogin"/>) also creates a missing user and
    /// records the login time; the scheduled sync only touches users that exist.
    /// </summary>
    public async Task<LdapApplyResult> ApplyAsync(LdapUserEntry entry, LdapSettings settings, bool isLogin, CancellationToken cancellationToken)
    {
        try
        {
            return await ApplyOnceAsync(entry, settings, isLogin, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first logins of the same user raced to create it (unique username): the loser applies to the winner's row.
            return await ApplyOnceAsync(entry, settings, isLogin, cancellationToken);
        }
    }

    private async Task<LdapApplyResult> ApplyOnceAsync(LdapUserEntry entry, LdapSettings settings, bool isLogin, CancellationToken cancellationToken)
    {
        if (entry.Username.Length > MaxUsernameLength || !UsernameGrammar().IsMatch(entry.Username))
        {
            return new LdapApplyResult(null, "the directory username is not a valid Dockyard username", 0, 0);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == entry.Username, cancellationToken);
        if (user is { Source: not AccountSource.Ldap })
        {
            // A local account owns the name; the directory must not take it over.
            return new LdapApplyResult(null, "a local account has this username", 0, 0);
        }

        var now = time.GetUtcNow();
        var created = user is null;
        if (user is null)
        {
            if (!isLogin)
            {
                return new LdapApplyResult(null, "no such user", 0, 0);
            }

            user = new UserEntity { Username = entry.Username, Source = AccountSource.Ldap, CreatedAt = now };
            db.Users.Add(user);
        }

        user.ExternalId = entry.Dn;
        user.Email = Truncate(entry.Email, 320);
        user.DisplayName = Truncate(entry.DisplayName, 256);
        if (isLogin && user.IsActive)
        {
            user.LastLoginAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (created)
        {
            await audit.RecordAsync(
                new Audit.AuditEvent
                {
                    Action = Audit.AuditActions.UserCreate,
                    Actor = Audit.AuditActor.System,
                    AuthMethod = Access.AuthMethods.Ldap,
                    Resource = $"users/{user.Username}",
                    Details = """{"source":"ldap","justInTime":true}""",
                },
                CancellationToken.None);
        }

        var (added, removed) = await SyncTeamsAsync(db, user.Id, user.Username, user.IsActive ? entry.Groups : [], settings, cancellationToken);
        return new LdapApplyResult(user, user.IsActive ? null : "user is deactivated", added, removed);
    }

    /// <summary>Deactivates an LDAP user the directory no longer has (revoking their tokens and sessions), and drops its LDAP-managed memberships.</summary>
    public async Task<(bool Deactivated, int TeamsRemoved)> DeactivateAsync(long userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstAsync(u => u.Id == userId, cancellationToken);
        var changed = user.IsActive;
        user.IsActive = false;

        // As every deactivation: tokens and sessions revoked for good, so a reactivation restores none of them.
        await Identity.UserCredentials.RevokeAllAsync(db, userId, time.GetUtcNow(), cancellationToken);
        var memberships = await db.TeamMembers.Where(m => m.UserId == userId && m.Source == AccountSource.Ldap).ToListAsync(cancellationToken);
        var names = await TeamNamesAsync(db, memberships.Select(m => m.TeamId), cancellationToken);
        db.TeamMembers.RemoveRange(memberships);
        await db.SaveChangesAsync(cancellationToken);
        if (changed)
        {
            await audit.RecordAsync(LdapSyncAudit.Deactivated(user.Username), CancellationToken.None);
        }

        await RecordMembershipsAsync(Audit.AuditActions.TeamMemberRemove, memberships.Select(m => m.TeamId), names, user.Username);
        return (changed, memberships.Count);
    }

    /// <summary>Group DN (normalized) → team ids, from the settings' mappings and from teams' own LdapGroup.</summary>
    private static async Task<Dictionary<string, HashSet<long>>> MappedTeamsAsync(DockyardDbContext db, LdapSettings settings, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        void Add(string groupDn, long teamId)
        {
            var key = LdapDistinguishedName.Normalize(groupDn);
            if (!map.TryGetValue(key, out var teams))
            {
                map[key] = teams = [];
            }

            teams.Add(teamId);
        }

        foreach (var team in await db.Teams.AsNoTracking().Where(t => t.LdapGroup != null).Select(t => new { t.Id, t.LdapGroup }).ToListAsync(cancellationToken))
        {
            Add(team.LdapGroup!, team.Id);
        }

        foreach (var mapping in settings.GroupMappings)
        {
            var organization = mapping.Organization.Trim().ToLowerInvariant();
            var teamName = mapping.Team.Trim().ToLowerInvariant();
            var teamId = await (
                from t in db.Teams.AsNoTracking()
                join o in db.Organizations.AsNoTracking() on t.OrganizationId equals o.Id
                where o.Name == organization && t.Name == teamName
                select (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
            if (teamId is { } id)
            {
                Add(mapping.GroupDn, id);
            }
        }

        return map;
    }

    private async Task<(int Added, int Removed)> SyncTeamsAsync(DockyardDbContext db, long userId, string username, IReadOnlyList<string> groups, LdapSettings settings, CancellationToken cancellationToken)
    {
        var mapped = await MappedTeamsAsync(db, settings, cancellationToken);
        var wanted = groups
            .Select(LdapDistinguishedName.Normalize)
            .SelectMany(g => mapped.TryGetValue(g, out var teams) ? teams : [])
            .ToHashSet();

        var current = await db.TeamMembers.Where(m => m.UserId == userId).ToListAsync(cancellationToken);
        var stale = current.Where(m => m.Source == AccountSource.Ldap && !wanted.Contains(m.TeamId)).ToList();
        var missing = wanted.Where(teamId => current.All(m => m.TeamId != teamId)).ToList();
        db.TeamMembers.RemoveRange(stale);
        foreach (var teamId in missing)
        {
            db.TeamMembers.Add(new TeamMemberEntity { TeamId = teamId, UserId = userId, Source = AccountSource.Ldap, CreatedAt = time.GetUtcNow() });
        }

        var names = await TeamNamesAsync(db, [.. stale.Select(m => m.TeamId), .. missing], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await RecordMembershipsAsync(Audit.AuditActions.TeamMemberRemove, stale.Select(m => m.TeamId), names, username);
        await RecordMembershipsAsync(Audit.AuditActions.TeamMemberAdd, missing, names, username);
        return (missing.Count, stale.Count);
    }

    /// <summary>Team id → (organization, team) names, for the entries of changed memberships.</summary>
    private static async Task<Dictionary<long, (string Organization, string Team)>> TeamNamesAsync(DockyardDbContext db, IEnumerable<long> teamIds, CancellationToken cancellationToken)
    {
        var ids = teamIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        return (await (
                from t in db.Teams.AsNoTracking()
                join o in db.Organizations.AsNoTracking() on t.OrganizationId equals o.Id
                where ids.Contains(t.Id)
                select new { t.Id, Organization = o.Name, Team = t.Name }).ToListAsync(cancellationToken))
            .ToDictionary(t => t.Id, t => (t.Organization, t.Team));
    }

    private async Task RecordMembershipsAsync(string action, IEnumerable<long> teamIds, Dictionary<long, (string Organization, string Team)> names, string username)
    {
        foreach (var teamId in teamIds)
        {
            if (names.TryGetValue(teamId, out var name))
            {
                await audit.RecordAsync(LdapSyncAudit.Membership(action, name.Organization, name.Team, username), CancellationToken.None);
            }
        }
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    // A username is also the user's repository namespace, so it follows the repository-name component grammar.
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex UsernameGrammar();
}
