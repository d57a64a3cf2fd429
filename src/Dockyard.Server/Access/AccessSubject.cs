using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access;

/// <summary>
/// The account behind a principal as stored now: the administrator flag, username and memberships are read from the
/// database on every decision, never trusted from the principal (whose token may be older than a demotion).
/// </summary>
internal sealed record AccessSubject
{
    public bool IsAdmin { get; init; }

    public long? UserId { get; init; }

    public string? Username { get; init; }

    public long? ServiceAccountId { get; init; }

    /// <summary>A service account's organization (its id and name).</summary>
    public (long Id, string Name)? ServiceAccountOrganization { get; init; }

    /// <summary>A user's organization memberships (empty for service accounts).</summary>
    public IReadOnlyList<OrganizationMembership> Organizations { get; init; } = [];

    /// <summary>The principal's current account state, or null for anonymous callers and inactive or deleted accounts.</summary>
    public static async Task<AccessSubject?> ResolveAsync(DockyardDbContext db, Principal principal, CancellationToken cancellationToken)
    {
        switch (principal.Kind)
        {
            case PrincipalKind.User when principal.UserId is { } userId:
                var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                    .Select(u => new { u.Username, u.IsAdmin, u.IsActive }).FirstOrDefaultAsync(cancellationToken);
                if (user is not { IsActive: true })
                {
                    return null;
                }

                var organizations = await (
                    from m in db.OrganizationMembers.AsNoTracking()
                    where m.UserId == userId
                    join o in db.Organizations.AsNoTracking() on m.OrganizationId equals o.Id
                    select new OrganizationMembership(o.Id, o.Name, m.IsOwner, o.DefaultMemberRole)).ToListAsync(cancellationToken);
                return new AccessSubject { IsAdmin = user.IsAdmin, UserId = userId, Username = user.Username, Organizations = organizations };
            case PrincipalKind.ServiceAccount when principal.ServiceAccountId is { } accountId:
                var account = await (
                    from a in db.ServiceAccounts.AsNoTracking()
                    where a.Id == accountId && a.IsActive
                    join o in db.Organizations.AsNoTracking() on a.OrganizationId equals o.Id
                    select new { o.Id, o.Name }).FirstOrDefaultAsync(cancellationToken);
                return account is null ? null : new AccessSubject { ServiceAccountId = accountId, ServiceAccountOrganization = (account.Id, account.Name) };
            case PrincipalKind.System:
                // CLI verbs and jobs run on the server's own machine as the operator: a system administrator.
                return new AccessSubject { IsAdmin = true };
            default:
                return null;
        }
    }

    public OrganizationMembership? MembershipOf(long organizationId) => Organizations.FirstOrDefault(m => m.OrganizationId == organizationId);
}
