using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// An organization's storage use: the sum of the sizes of the distinct blobs and manifests linked into any of its
/// repositories, so a layer shared by many repositories counts once. Computed, not counted: both tables are keyed
/// by (repository, digest), so the organization's rows are one index range (<c>org/</c> ≤ name &lt; <c>org0</c>) and
/// there is no counter to drift or reconcile. The cost grows with the organization's links (see docs/operations.md).
/// </summary>
internal sealed class StorageUsage(IDbContextFactory<DockyardDbContext> contexts)
{
    public async Task<long> UsedBytesAsync(string organization, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (blobs, manifests) = InOrganization(db, organization);
        return await blobs.Select(b => new { b.Digest, b.Size }).Union(manifests.Select(m => new { m.Digest, m.Size })).SumAsync(x => x.Size, cancellationToken);
    }

    /// <summary>Whether <paramref name="digest"/> is already stored in the organization (then storing it again costs nothing).</summary>
    public async Task<bool> HoldsAsync(string organization, string digest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (blobs, manifests) = InOrganization(db, organization);
        return await blobs.AnyAsync(b => b.Digest == digest, cancellationToken) || await manifests.AnyAsync(m => m.Digest == digest, cancellationToken);
    }

    private static (IQueryable<Data.Entities.BlobLinkEntity> Blobs, IQueryable<Data.Entities.ManifestEntity> Manifests) InOrganization(DockyardDbContext db, string organization)
    {
        // '0' follows '/': every "org/…" name sorts in [org/, org0).
        var (lower, upper) = (organization + "/", organization + "0");
        return (
            db.BlobLinks.AsNoTracking().Where(b => b.Repository == organization || (b.Repository.CompareTo(lower) >= 0 && b.Repository.CompareTo(upper) < 0)),
            db.Manifests.AsNoTracking().Where(m => m.Repository == organization || (m.Repository.CompareTo(lower) >= 0 && m.Repository.CompareTo(upper) < 0)));
    }
}
