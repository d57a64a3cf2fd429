using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Errors;
using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Images;
using Dockyard.Server.Data;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Policies;

/// <summary>
/// A repository's untagged manifests: the ones no tag points at, including those pushed by digest (platform images of
/// an index, signatures and SBOMs attached through <c>subject</c>). Lists them with what refers to them
/// (<see cref="ManifestRelation"/>), deletes a selection, and deletes those older than an age (planned by
/// <see cref="RetentionPlanner"/>, the rule retention's <c>deleteUntaggedAfter</c> uses).
/// </summary>
/// <remarks>
/// "Referenced" is garbage collection's rule (<see cref="ManifestRelation.IsReferenced"/>): an untagged manifest an
/// index lists, or whose subject is in the repository, is part of something still there — deleting a platform image
/// breaks its index, deleting a signature unsigns its image. A selection leaves those alone unless the caller says
/// <c>includeReferenced</c>; an index and its children, or an image and its signatures, selected together go together.
/// Every delete goes through <see cref="ManifestService.DeleteAsync"/>, the path of <c>DELETE /v2/…/manifests/…</c>
/// (storage links, index, events, webhooks), and is recorded like it: <c>registry.manifest.delete</c> with the
/// caller as actor; a refusal is recorded as denied. Reading needs pull, deleting the repository's delete permission.
/// </remarks>
internal sealed partial class UntaggedManifestService(
    IDbContextFactory<DockyardDbContext> contexts,
    ManifestRelations relations,
    ManifestService manifests,
    RetentionService retention,
    PolicyCache cache,
    RuntimeUsage usage,
    IAccessAuthorizer authorizer,
    RepositoryService repositories,
    AuditTrail audit,
    ILogger<UntaggedManifestService> logger)
{
    /// <summary>Most digests one delete request may name.</summary>
    public const int MaxDigests = 500;

    /// <summary>Largest page of a listing.</summary>
    public const int MaxPageSize = 200;

    /// <summary>A page of the repository's untagged manifests, newest first; 404 when the caller may not pull it.</summary>
    public async Task<UntaggedManifestPage> ListAsync(Principal principal, RepositoryName repository, int page, int pageSize, CancellationToken cancellationToken)
    {
        await RequirePullAsync(principal, repository, cancellationToken);
        page = Math.Max(page, 1);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var name = repository.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var untagged = db.Manifests.AsNoTracking()
            .Where(m => m.Repository == name && !db.Tags.Any(t => t.Repository == name && t.ManifestDigest == m.Digest));
        var total = await untagged.CountAsync(cancellationToken);
        var digests = await untagged.OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Digest)
            .Skip((page - 1) * pageSize).Take(pageSize).Select(m => m.Digest).ToListAsync(cancellationToken);
        var found = await relations.GetAsync(name, digests, cancellationToken);
        return new UntaggedManifestPage([.. digests.Where(found.ContainsKey).Select(d => found[d])], page, pageSize, total);
    }

    /// <summary>
    /// Deletes the untagged manifests among <paramref name="digests"/>. Tagged ones are skipped (untag them first), and
    /// referenced ones (<see cref="ManifestRelation.IsReferencedOutside"/> the manifests deleted with them) unless
    /// <paramref name="includeReferenced"/>. Indexes go before the rest, so their children are free when their turn comes.
    /// </summary>
    public async Task<UntaggedDeleteResult> DeleteAsync(Caller caller, RepositoryName repository, IReadOnlyList<string> digests, bool includeReferenced, CancellationToken cancellationToken)
    {
        var selection = Validate(digests);
        await AuthorizeDeleteAsync(caller, repository, $"{selection.Count} manifest(s)", cancellationToken);
        var found = await relations.GetAsync(repository.Value, selection, cancellationToken);
        var leaving = found.Values.Where(r => !r.IsTagged).Select(r => r.Digest).ToHashSet(StringComparer.Ordinal);
        if (!includeReferenced)
        {
            // A manifest stays when what references it stays; repeat, since keeping one keeps what it lists.
            while (leaving.Where(d => found[d].IsReferencedOutside(leaving)).ToList() is { Count: > 0 } kept)
            {
                leaving.ExceptWith(kept);
            }
        }

        var results = new List<UntaggedDeletion>();
        foreach (var digest in selection.Where(d => !leaving.Contains(d)))
        {
            results.Add(new UntaggedDeletion(digest, UntaggedOutcome.Skipped, found.TryGetValue(digest, out var relation) ? WhyKept(relation) : "not a manifest of this repository"));
        }

        foreach (var relation in leaving.Select(d => found[d]).OrderBy(r => MediaTypes.IsIndex(r.MediaType) ? 0 : 1).ThenBy(r => r.Digest, StringComparer.Ordinal))
        {
            var details = relation.IsReferencedOutside(leaving) ? new { untagged = true, referencedBy = relation.DescribeReferences() } : null;
            results.Add(await DeleteOneAsync(caller.Context, repository, relation.Digest, details, cancellationToken));
        }

        LogDeleted(repository.Value, results.Count(r => r.Outcome == UntaggedOutcome.Deleted), selection.Count);
        return new UntaggedDeleteResult([.. results.OrderBy(r => selection.IndexOf(r.Digest))]);
    }

    /// <summary>
    /// Plans (<paramref name="dryRun"/>: only plans) and deletes the untagged manifests pushed longer than
    /// <paramref name="olderThan"/> ago that nothing kept references: retention's plan for
    /// <c>deleteUntaggedAfter</c> (children of a kept index and referrers of a kept subject stay; the recent window
    /// protects pushes in flight), minus what a running container or service uses. A dry run needs pull, a run delete.
    /// </summary>
    public async Task<UntaggedCleanup> CleanUpAsync(Caller caller, RepositoryName repository, TimeSpan olderThan, bool dryRun, CancellationToken cancellationToken)
    {
        if (olderThan < TimeSpan.Zero)
        {
            throw DomainException.Invalid("olderThanDays", "The age must not be negative.");
        }

        if (dryRun)
        {
            await RequirePullAsync(caller.Principal, repository, cancellationToken);
        }
        else
        {
            await AuthorizeDeleteAsync(caller, repository, $"untagged manifests older than {DurationText.Format(olderThan)}", cancellationToken);
        }

        var snapshot = await cache.GetAsync(cancellationToken);
        var plan = await retention.PlanAsync(repository, new RetentionRule { DeleteUntaggedAfter = olderThan }, snapshot, cancellationToken);
        if (plan.Deletions.Count > 0)
        {
            plan = RetentionService.KeepInUse(plan, await usage.GetFreshAsync(cancellationToken), []);
        }

        if (dryRun)
        {
            return new UntaggedCleanup(true, olderThan, plan, []);
        }

        var results = new List<UntaggedDeletion>();
        foreach (var deletion in plan.Deletions)
        {
            results.Add(await DeleteOneAsync(caller.Context, repository, deletion.Digest, new { untagged = true, olderThan = DurationText.Format(olderThan), reason = deletion.Reason }, cancellationToken));
        }

        LogDeleted(repository.Value, results.Count(r => r.Outcome == UntaggedOutcome.Deleted), plan.Deletions.Count);
        return new UntaggedCleanup(false, olderThan, plan, results);
    }

    private static List<string> Validate(IReadOnlyList<string>? digests)
    {
        if (digests is null || digests.Count == 0)
        {
            throw DomainException.Invalid("digests", "Name at least one manifest digest.");
        }

        if (digests.Count > MaxDigests)
        {
            throw DomainException.Invalid("digests", $"At most {MaxDigests} digests per request.");
        }

        if (digests.FirstOrDefault(d => !Digest.TryParse(d, out _)) is { } invalid)
        {
            throw DomainException.Invalid("digests", $"'{invalid}' is not a digest (sha256:<64 hex characters>).");
        }

        return [.. digests.Distinct(StringComparer.Ordinal)];
    }

    private static string WhyKept(ManifestRelation relation) =>
        relation.IsTagged
            ? $"tagged ({string.Join(", ", relation.Tags)}): delete its tags first"
            : $"referenced: {relation.DescribeReferences()}; include referenced manifests to delete it anyway";

    /// <summary>Deletes one manifest through the registry's delete path and records it as <c>DELETE /v2/…/manifests/{digest}</c> is.</summary>
    private async Task<UntaggedDeletion> DeleteOneAsync(AuditContext context, RepositoryName repository, string digest, object? details, CancellationToken cancellationToken)
    {
        // Looked at again just before: a tag pushed onto it since it was listed makes it tagged, and a delete by digest would take that tag along.
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Tags.AnyAsync(t => t.Repository == repository.Value && t.ManifestDigest == digest, cancellationToken))
            {
                return new UntaggedDeletion(digest, UntaggedOutcome.Skipped, "tagged since it was listed");
            }
        }

        var auditEvent = new AuditEvent
        {
            Action = AuditActions.ManifestDelete,
            Repository = repository.Value,
            Reference = digest,
            Digest = digest,
            Details = details is null ? null : JsonSerializer.Serialize(details, AuditEntryResponse.JsonOptions),
        };
        try
        {
            await manifests.DeleteAsync(repository, Reference.ForDigest(Digest.Parse(digest)), cancellationToken);
        }
        catch (RegistryException error) when (error.Code == RegistryErrorCode.ManifestUnknown)
        {
            return new UntaggedDeletion(digest, UntaggedOutcome.Skipped, "already deleted");
        }
        catch (RegistryException error)
        {
            var outcome = error.Code == RegistryErrorCode.Denied ? AuditOutcomes.Denied : AuditOutcomes.Failed;
            await audit.RecordAsync(auditEvent with { Outcome = outcome, Reason = $"{error.Code}: {error.Message}" }, context, CancellationToken.None);
            return new UntaggedDeletion(digest, UntaggedOutcome.Failed, error.Message);
        }

        await audit.RecordAsync(auditEvent, context, CancellationToken.None);
        return new UntaggedDeletion(digest, UntaggedOutcome.Deleted, null);
    }

    private async Task RequirePullAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        if (!(await ActionsAsync(principal, repository, cancellationToken)).HasFlag(RepositoryActions.Pull))
        {
            throw DomainException.NotFound($"Repository '{repository}' not found.");
        }
    }

    /// <summary>Delete permission on the repository, or a recorded refusal: 401 anonymous, 404 when it may not even pull, else 403.</summary>
    private async Task AuthorizeDeleteAsync(Caller caller, RepositoryName repository, string what, CancellationToken cancellationToken)
    {
        DomainException? refusal = null;
        if (!caller.Principal.IsAuthenticated)
        {
            refusal = DomainException.Unauthenticated("Authentication required.");
        }
        else
        {
            var actions = await ActionsAsync(caller.Principal, repository, cancellationToken);
            refusal = !actions.HasFlag(RepositoryActions.Pull) ? DomainException.NotFound($"Repository '{repository}' not found.")
                : !actions.HasFlag(RepositoryActions.Delete) ? DomainException.Forbidden($"Deleting manifests of '{repository}' needs delete permission on it.")
                : null;
        }

        if (refusal is null)
        {
            return;
        }

        await audit.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.ManifestDelete,
                Outcome = AuditOutcomes.Denied,
                Reason = $"delete of {what}: {refusal.Message}",
                Repository = repository.Value,
            },
            caller.Context,
            CancellationToken.None);
        throw refusal;
    }

    /// <summary>The caller's actions on the repository; none when it does not exist (no existence leaks).</summary>
    private async Task<RepositoryActions> ActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken) =>
        await repositories.FindAsync(repository, cancellationToken) is null
            ? RepositoryActions.None
            : await authorizer.GetRepositoryActionsAsync(principal, repository, cancellationToken);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Information, Message = "Untagged manifests of {Repository}: {Deleted} of {Requested} deleted")]
    private partial void LogDeleted(string repository, int deleted, int requested);
}
