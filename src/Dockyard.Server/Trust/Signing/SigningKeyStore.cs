using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// Reads a registered key's owner by <c>org/name</c>, to decide who may sign with it (<see cref="SigningKeyAccess"/>).
/// Its private part is opened only afterwards, by <c>TrustKeyService.OpenSigningKeyAsync</c>.
/// </summary>
internal sealed class SigningKeyStore(IDbContextFactory<DockyardDbContext> contexts)
{
    /// <summary>The key <paramref name="name"/> of <paramref name="organization"/>, or null when there is none.</summary>
    public async Task<HeldSigningKey?> FindAsync(string organization, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (
            from key in db.TrustKeys.AsNoTracking()
            join org in db.Organizations on key.OrganizationId equals org.Id
            where org.Name == organization && key.Name == name
            join team in db.Teams on key.TeamId equals team.Id into teams
            from team in teams.DefaultIfEmpty()
            select new HeldSigningKey(key.Id, org.Id, org.Name, key.Name, key.TeamId, team == null ? null : org.Name + "/" + team.Name, key.Fingerprint))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
