using Dockyard.Registry;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// A repository's tags with their verdicts, for the API's tag list and the UI's "unsigned only" filter. Verdicts come
/// from <see cref="ImageTrustService"/> (cached, at most <see cref="SignatureOptions.ListConcurrency"/> cold ones at once).
/// The filter needs a verdict per tag, so it looks at the first <see cref="SignatureOptions.MaxFilteredTags"/> tags
/// only and says so. Digest-derived tags (<c>sha256-&lt;hex&gt;.sig</c>, …) hold signatures and attestations, not
/// images: the filter never lists them as unsigned. The caller has checked that the principal may pull.
/// </summary>
internal sealed class SignedTagLister(IDbContextFactory<DockyardDbContext> contexts, ImageTrustService trust, IOptions<SignatureOptions> options)
{
    public const int MaxPageSize = 200;

    public async Task<SignedTagPage> ListAsync(RepositoryName repository, string? filter, bool unsignedOnly, int page, int pageSize, CancellationToken cancellationToken)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(1, page);
        if (unsignedOnly)
        {
            var (unsigned, truncated) = await ListUnsignedAsync(repository, filter, cancellationToken);
            return new SignedTagPage([.. unsigned.Skip((page - 1) * pageSize).Take(pageSize)], page, pageSize, unsigned.Count, truncated);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tags = Query(db, repository, filter);
        var total = await tags.CountAsync(cancellationToken);
        var rows = await tags.OrderBy(t => t.Name).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(t => new Row(t.Name, t.ManifestDigest, t.UpdatedAt, t.PullCount, t.LastPulledAt)).ToListAsync(cancellationToken);
        return new SignedTagPage(await WithVerdictsAsync(repository, rows, cancellationToken), page, pageSize, total, false);
    }

    /// <summary>Tags (by name) whose image is not validly signed, digest-derived tags left out; <c>Truncated</c> when more tags exist than were examined.</summary>
    public async Task<(IReadOnlyList<SignedTag> Tags, bool Truncated)> ListUnsignedAsync(RepositoryName repository, string? filter, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxFilteredTags;
        List<Row> rows;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            rows = await Query(db, repository, filter).OrderBy(t => t.Name).Take(max + 1)
                .Select(t => new Row(t.Name, t.ManifestDigest, t.UpdatedAt, t.PullCount, t.LastPulledAt)).ToListAsync(cancellationToken);
        }

        var truncated = rows.Count > max;
        rows = [.. rows.Take(max).Where(r => !SignatureTags.TryParse(r.Name, out _))];
        var all = await WithVerdictsAsync(repository, rows, cancellationToken);
        return ([.. all.Where(t => t.Trust.State != SignatureState.Signed)], truncated);
    }

    private static IQueryable<Data.Entities.TagEntity> Query(DockyardDbContext db, RepositoryName repository, string? filter)
    {
        var name = repository.Value;
        var tags = db.Tags.AsNoTracking().Where(t => t.Repository == name);
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var term = filter.Trim();
            tags = tags.Where(t => t.Name.Contains(term));
        }

        return tags;
    }

    private async Task<List<SignedTag>> WithVerdictsAsync(RepositoryName repository, List<Row> rows, CancellationToken cancellationToken)
    {
        var digests = rows.Select(r => Digest.TryParse(r.Digest, out var d) ? d : (Digest?)null).OfType<Digest>().ToList();
        var verdicts = await trust.GetManyAsync(repository, digests, cancellationToken);
        return [.. rows.Select(r => new SignedTag(
            r.Name,
            r.Digest,
            r.UpdatedAt,
            Digest.TryParse(r.Digest, out var d) && verdicts.TryGetValue(d, out var verdict)
                ? verdict
                : new ImageTrust(repository.Value, r.Digest, SignatureState.Unsigned, []),
            r.PullCount,
            r.LastPulledAt))];
    }

    private sealed record Row(string Name, string Digest, DateTimeOffset UpdatedAt, long PullCount, DateTimeOffset? LastPulledAt);
}
