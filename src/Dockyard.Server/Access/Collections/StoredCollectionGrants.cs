using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Access.Collections;

/// <summary>
/// Collection grants from the <c>collection_grants</c> table: one indexed query per decision for the collection and
/// its ancestors, read fresh every time, so a grant added or removed on any replica applies at once. A row this build
/// cannot read (an unknown role or subject kind) grants nothing.
/// </summary>
internal sealed class StoredCollectionGrants(IDbContextFactory<DockyardDbContext> contexts) : ICollectionGrantSource
{
    public async Task<IReadOnlyList<CollectionGrant>> GetGrantsAsync(CollectionPath collection, CancellationToken cancellationToken)
    {
        var paths = collection.SelfAndAncestors().Select(p => p.Value).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.CollectionGrants.AsNoTracking().Where(g => paths.Contains(g.Collection)).ToListAsync(cancellationToken);
        var grants = new List<CollectionGrant>(rows.Count);
        foreach (var row in rows)
        {
            if (CollectionSubjectKindNames.TryParse(row.SubjectKind, out var kind)
                && CollectionRole.TryGetBuiltIn(row.Role, out var role)
                && CollectionPath.TryParse(row.Collection, out var path))
            {
                grants.Add(new CollectionGrant(new CollectionSubject(kind, row.SubjectId), role, path));
            }
        }

        return grants;
    }
}
