using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Maps changes to a repository's settings, grants and policies to <see cref="Operation.RepositoryAdminister"/> (the
/// rule lives in <see cref="IAccessAuthorizer"/>): a caller who may not even pull the repository finds no such
/// repository (404, recorded as denied); one who sees it but may not administer it is refused (403). A repository
/// that does not exist is not found.
/// </summary>
internal sealed class RepositoryAdministrationRules(IDbContextFactory<DockyardDbContext> contexts, IAccessAuthorizer authorizer)
{
    public static string NotFound(string name) => $"Repository '{name}' not found.";

    /// <summary>The decision for administering <paramref name="name"/>; throws not found when there is no such repository.</summary>
    public async Task<AccessDecision> AdministerAsync(Principal principal, string name, CancellationToken cancellationToken)
    {
        if (!RepositoryName.TryParse(name, out var repository) || !await ExistsAsync(repository, cancellationToken))
        {
            throw DomainException.NotFound(NotFound(name));
        }

        var refusal = $"Only administrators of '{name}' may do this.";
        return await authorizer.RequireVisibleAsync(
            principal, Operation.RepositoryPull, Operation.RepositoryAdminister, Resource.ForRepository(repository), (refusal, NotFound(name), refusal), cancellationToken);
    }

    private async Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Repositories.AnyAsync(r => r.Name == repository.Value, cancellationToken);
    }
}
