using System.Linq.Expressions;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access;

/// <summary>
/// Who may see an organization (its members, teams and policies), written once as a query predicate so that the single
/// decision (<see cref="AccessAuthorizer"/>: <see cref="Operation.OrganizationView"/>, the predicate on one row) and the
/// organization lists (<c>GET /api/v1/orgs</c>, the UI's Organizations page: the predicate as a WHERE clause) agree by
/// construction: active system administrators (as users, scoped or not) see every organization, active users the ones
/// they are members of, nobody else any.
/// </summary>
internal static class OrganizationViewRule
{
    private static readonly Expression<Func<OrganizationEntity, bool>> Nothing = o => false;
    private static readonly Expression<Func<OrganizationEntity, bool>> Everything = o => true;

    /// <summary>The organizations <paramref name="subject"/> may see; use only in queries on <paramref name="db"/>.</summary>
    public static Expression<Func<OrganizationEntity, bool>> For(DockyardDbContext db, AccessSubject? subject) => subject switch
    {
        { IsAdmin: true, UserId: not null } => Everything,
        { UserId: { } userId } => o => db.OrganizationMembers.Any(m => m.OrganizationId == o.Id && m.UserId == userId),
        _ => Nothing,
    };

    /// <summary>Every organization <paramref name="principal"/> may see, as a query to order and page in SQL.</summary>
    public static async Task<IQueryable<OrganizationEntity>> QueryAsync(DockyardDbContext db, Principal principal, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking().Where(For(db, await AccessSubject.ResolveAsync(db, principal, cancellationToken)));

    /// <summary>The single decision: the same predicate on the organization's row (no query when it admits all or nothing).</summary>
    public static async Task<bool> AllowsAsync(DockyardDbContext db, AccessSubject? subject, long organizationId, CancellationToken cancellationToken)
    {
        var predicate = For(db, subject);
        return predicate == Everything
            || (predicate != Nothing && await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).AnyAsync(predicate, cancellationToken));
    }
}
