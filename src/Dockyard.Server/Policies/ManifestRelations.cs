using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// Reads <see cref="ManifestRelation"/>s from the index: for a set of a repository's manifests, their tags, the indexes
/// listing them (<c>manifest_references</c>), their subjects and their referrers, each with its tags. A handful of
/// indexed queries whatever the number of digests (a page of a listing, a bulk delete's selection, one image).
/// </summary>
internal sealed class ManifestRelations(IDbContextFactory<DockyardDbContext> contexts)
{
    /// <summary>The relations of those of <paramref name="digests"/> that are manifests of <paramref name="repository"/>, by digest.</summary>
    public async Task<IReadOnlyDictionary<string, ManifestRelation>> GetAsync(string repository, IReadOnlyCollection<string> digests, CancellationToken cancellationToken)
    {
        if (digests.Count == 0)
        {
            return new Dictionary<string, ManifestRelation>(StringComparer.Ordinal);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Manifests.AsNoTracking().Where(m => m.Repository == repository && digests.Contains(m.Digest))
            .Select(m => new { m.Digest, m.MediaType, m.ArtifactType, m.Size, m.CreatedAt, m.Subject }).ToListAsync(cancellationToken);
        var found = rows.Select(r => r.Digest).ToList();
        var holders = (await db.ManifestReferences.AsNoTracking().Where(r => r.Repository == repository && found.Contains(r.ChildDigest))
                .Select(r => new { r.ChildDigest, r.ManifestDigest }).ToListAsync(cancellationToken))
            .Where(r => !string.Equals(r.ChildDigest, r.ManifestDigest, StringComparison.Ordinal))
            .ToLookup(r => r.ChildDigest, r => r.ManifestDigest, StringComparer.Ordinal);
        var referrers = (await db.Manifests.AsNoTracking().Where(m => m.Repository == repository && m.Subject != null && found.Contains(m.Subject))
                .Select(m => new { m.Subject, m.Digest }).ToListAsync(cancellationToken))
            .ToLookup(r => r.Subject!, r => r.Digest, StringComparer.Ordinal);
        var subjects = rows.Where(r => r.Subject is not null).Select(r => r.Subject!).Distinct(StringComparer.Ordinal).ToList();
        var present = (await db.Manifests.AsNoTracking().Where(m => m.Repository == repository && subjects.Contains(m.Digest))
            .Select(m => m.Digest).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        var linked = found.Concat(holders.SelectMany(h => h)).Concat(referrers.SelectMany(r => r)).Concat(subjects).Distinct(StringComparer.Ordinal).ToList();
        var tags = (await db.Tags.AsNoTracking().Where(t => t.Repository == repository && linked.Contains(t.ManifestDigest))
                .Select(t => new { t.ManifestDigest, t.Name }).ToListAsync(cancellationToken))
            .ToLookup(t => t.ManifestDigest, t => t.Name, StringComparer.Ordinal);
        ManifestLink Link(string digest, bool exists = true) => new(digest, [.. tags[digest].Order(StringComparer.Ordinal)], exists);

        return rows.ToDictionary(
            r => r.Digest,
            r => new ManifestRelation
            {
                Digest = r.Digest,
                MediaType = r.MediaType,
                ArtifactType = r.ArtifactType,
                Size = r.Size,
                PushedAt = r.CreatedAt,
                Tags = [.. tags[r.Digest].Order(StringComparer.Ordinal)],
                HeldBy = [.. holders[r.Digest].Order(StringComparer.Ordinal).Select(h => Link(h))],
                Subject = r.Subject is { } subject ? Link(subject, present.Contains(subject)) : null,
                Referrers = [.. referrers[r.Digest].Order(StringComparer.Ordinal).Select(d => Link(d))],
            },
            StringComparer.Ordinal);
    }
}
