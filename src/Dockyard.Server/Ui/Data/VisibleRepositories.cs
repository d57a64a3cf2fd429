using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// The repositories a principal may pull, as one database query, so lists page and count in SQL instead of asking
/// the authorizer once per repository (1,000 repositories must list in milliseconds). The query is the pull
/// predicate of <see cref="RepositoryAccessRules"/>, the same one <see cref="AccessAuthorizer"/> evaluates for a
/// single repository; AuthorizerListAgreementTests checks the two agree on random worlds of users, teams,
/// organizations, grants, service accounts and scoped tokens. Actions on a single repository still go through the
/// authorizer.
/// </summary>
internal static class VisibleRepositories
{
    public static async Task<IQueryable<RepositoryEntity>> QueryAsync(DockyardDbContext db, Principal principal, CancellationToken cancellationToken)
    {
        var rules = await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken);
        return await rules.PullableAsync(cancellationToken);
    }
}
