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
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Policies;

/// <summary>
/// Runs retention: for each repository with an effective policy, plans (<see cref="RetentionPlanner"/>) and, unless
/// it is a dry run, applies the plan through <see cref="ManifestService"/> — the same delete path as
/// <c>DELETE /v2/…/manifests/…</c>, so storage links, the index, events and webhooks behave as for any delete —
/// recording each delete in the audit trail with the actor <c>system/retention</c>. A run is authorized for its
/// <see cref="Caller"/> (repository administrators, organization owners, system administrators for every repository;
/// the system) and recorded once as <c>retention.run</c> with the caller as actor, the request and the counts
/// (<see cref="AuditedOperations"/>; dry runs too, refused ones too); the schedule runs as <see cref="Scheduled"/>.
/// </summary>
/// <remarks>
/// A tag or manifest that a running container or Swarm service uses (<see cref="RuntimeUsage"/>, asked fresh once per
/// run that plans a delete) is never deleted: the plan keeps it with the reason ("in use by container web-1 on node
/// …"), and the run's audit entry lists it. When an engine could not be asked, every planned delete is kept instead
/// (what that engine runs is unknown).
/// A plan is acted on a moment after it is made. Before each delete the tag (or manifest) is looked at again: a tag
/// that was moved meanwhile is left alone, and a delete that finds nothing counts as done (another replica's run).
/// </remarks>
internal sealed partial class RetentionService(
    IDbContextFactory<DockyardDbContext> contexts,
    RetentionPolicyService policies,
    PolicyCache cache,
    ManifestService manifests,
    AuditTrail audit,
    AuditedOperations audited,
    PolicyAccessRules organizations,
    RepositoryAdministrationRules repositoryRules,
    AccessAuthorizer authorizer,
    TimeProvider time,
    IOptions<RetentionOptions> options,
    RuntimeUsage usage,
    ILogger<RetentionService> logger)
{
    /// <summary>Who retention's deletes are attributed to in the audit trail.</summary>
    public static readonly AuditActor Actor = new("system", "retention", null);

    /// <summary>The scheduled run's caller: the system, recorded as <see cref="Actor"/>.</summary>
    public static readonly Caller Scheduled = new(Principal.System, AuditContext.System with { Actor = Actor }, []);

    /// <summary>Runs retention on the request's repositories for <paramref name="caller"/>; see the class remarks.</summary>
    public Task<RetentionRunResult> RunAsync(Caller caller, RetentionRunRequest request, IProgress<RetentionProgress>? progress, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.RetentionRun, ResourceOf(request)) { Organization = request.Organization, Repository = request.Repository }
                .WithFields(("dryRun", request.DryRun)),
            token => AuthorizeAsync(caller.Principal, request, token),
            token => RunAsync(request, progress, token),
            cancellationToken,
            resultOf: result => new AuditedResult(
                AuditedResult.Of(("repositories", result.Plans.Count), ("planned", result.Planned), ("deleted", result.Deleted), ("failed", result.Failed),
                    ("keptInUse", result.InUse.Count == 0 ? null : string.Join("; ", result.InUse.Take(20)))).Fields,
                result.Failed == 0 ? null : $"{result.Failed} deletes failed"));

    private static string ResourceOf(RetentionRunRequest request) =>
        request.Repository is { } repository ? $"repositories/{repository}/retention/run"
        : request.Organization is { } organization ? $"orgs/{organization}/retention/run"
        : "retention/run";

    private async Task<AccessDecision> AuthorizeAsync(Principal principal, RetentionRunRequest request, CancellationToken cancellationToken)
    {
        if (principal.Kind == PrincipalKind.System)
        {
            return AccessDecision.Allowed;
        }

        if (request.Repository is { } repository)
        {
            return await repositoryRules.AdministerAsync(principal, repository, cancellationToken);
        }

        if (request.Organization is { } organization)
        {
            return (await organizations.OrganizationAsync(principal, organization, PolicyKind.Retention, cancellationToken)).Decision;
        }

        const string reason = "Only system administrators may run retention on every repository.";
        return await authorizer.IsSystemAdministratorAsync(principal, cancellationToken) ? AccessDecision.Allowed : AccessDecision.Deny(reason, DomainException.Forbidden(reason));
    }

    private async Task<RetentionRunResult> RunAsync(RetentionRunRequest request, IProgress<RetentionProgress>? progress, CancellationToken cancellationToken)
    {
        var repositories = await RepositoriesAsync(request, cancellationToken);
        var effective = await policies.EffectiveAsync(repositories, cancellationToken);
        var snapshot = await cache.GetAsync(cancellationToken);
        var plans = new List<RetentionPlan>();
        var errors = new List<string>();
        var inUse = new List<string>();
        RuntimeUsageSnapshot? running = null;
        int deleted = 0, failed = 0, done = 0;
        foreach (var repository in repositories)
        {
            done++;
            if (!effective.TryGetValue(repository, out var policy))
            {
                continue;
            }

            var name = RepositoryName.Parse(repository);
            var plan = await PlanAsync(name, policy.Rule, snapshot, cancellationToken);
            if (plan.Deletions.Count > 0)
            {
                running ??= await usage.GetFreshAsync(cancellationToken);
                plan = KeepInUse(plan, running, inUse);
            }

            plans.Add(plan);
            if (!request.DryRun)
            {
                foreach (var deletion in plan.Deletions)
                {
                    var error = await ApplyAsync(name, deletion, policy.Scope, cancellationToken);
                    if (error is null)
                    {
                        deleted++;
                    }
                    else
                    {
                        failed++;
                        errors.Add($"{repository}@{deletion.Tags.FirstOrDefault() ?? deletion.Digest}: {error}");
                    }
                }
            }

            progress?.Report(new RetentionProgress(done, repositories.Count, repository, plans.Sum(p => p.Deletions.Count), deleted, failed));
        }

        var result = new RetentionRunResult(request.DryRun, plans, deleted, failed, errors) { InUse = inUse };
        if (!request.DryRun)
        {
            LogRun(plans.Count, result.Planned, deleted, failed);
        }

        return result;
    }

    /// <summary>
    /// Moves the deletions whose manifest something runs (the digest engines pulled by: an index's, for a multi-platform image) — or all of them, when what runs
    /// is unknown — to the kept list with the reason; each is noted in <paramref name="inUse"/> for the audit entry.
    /// </summary>
    internal static RetentionPlan KeepInUse(RetentionPlan plan, RuntimeUsageSnapshot running, List<string> inUse)
    {
        var deletions = new List<RetentionDeletion>();
        var kept = new List<RetentionKept>(plan.Kept);
        foreach (var deletion in plan.Deletions)
        {
            var reason = !running.IsComplete
                ? $"not deleted: what the engines run is unknown ({running.DescribeUnknown()})"
                : running.Explain(deletion.Digest);
            if (reason is null)
            {
                deletions.Add(deletion);
                continue;
            }

            foreach (var reference in deletion.Tags.Count > 0 ? deletion.Tags : [deletion.Digest])
            {
                kept.Add(new RetentionKept(reference, reason));
                inUse.Add($"{plan.Repository}:{reference} {reason}");
            }
        }

        return plan with { Deletions = deletions, Kept = kept };
    }

    private async Task<List<string>> RepositoriesAsync(RetentionRunRequest request, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Repositories.AsNoTracking().Select(r => r.Name);
        if (request.Repository is { } only)
        {
            query = query.Where(n => n == only);
        }
        else if (request.Organization is { } organization)
        {
            var (lower, upper) = (organization + "/", organization + "0");
            query = query.Where(n => n == organization || (n.CompareTo(lower) >= 0 && n.CompareTo(upper) < 0));
        }

        return await query.OrderBy(n => n).ToListAsync(cancellationToken);
    }

    /// <summary>The plan of <paramref name="rule"/> for one repository as its tags and manifests are now (also the untagged clean-up's, <see cref="UntaggedManifestService"/>).</summary>
    internal async Task<RetentionPlan> PlanAsync(RepositoryName repository, RetentionRule rule, PolicySnapshot snapshot, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = repository.Value;
        var tags = await db.Tags.AsNoTracking().Where(t => t.Repository == name)
            .Select(t => new RetentionTag(t.Name, t.ManifestDigest, t.UpdatedAt)).ToListAsync(cancellationToken);
        var rows = await db.Manifests.AsNoTracking().Where(m => m.Repository == name)
            .Select(m => new { m.Digest, m.CreatedAt, m.Subject }).ToListAsync(cancellationToken);
        var children = (await db.ManifestReferences.AsNoTracking().Where(r => r.Repository == name)
                .Select(r => new { r.ManifestDigest, r.ChildDigest }).ToListAsync(cancellationToken))
            .ToLookup(r => r.ManifestDigest, r => r.ChildDigest, StringComparer.Ordinal);
        var manifestsOf = rows.Select(m => new RetentionManifest(m.Digest, m.CreatedAt, m.Subject, [.. children[m.Digest]])).ToList();
        return RetentionPlanner.Plan(name, rule, tags, manifestsOf, tag => snapshot.FindImmutability(repository, tag) is not null, time.GetUtcNow(), options.Value.RecentWindow);
    }

    /// <summary>Applies one deletion; returns null when done (or already gone), else why it failed.</summary>
    private async Task<string?> ApplyAsync(RepositoryName repository, RetentionDeletion deletion, PolicyScope scope, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(deletion.Digest);
        var tag = deletion.Kind == RetentionDeletionKind.Tag ? deletion.Tags[0] : null;
        if (!await StillAsPlannedAsync(repository, deletion, cancellationToken))
        {
            return null;
        }

        var auditEvent = new AuditEvent
        {
            Action = tag is null ? AuditActions.ManifestDelete : AuditActions.TagDelete,
            Actor = Actor,
            Repository = repository.Value,
            Reference = tag ?? deletion.Digest,
            Digest = deletion.Digest,
            Details = JsonSerializer.Serialize(new { retention = scope.Describe(), reason = deletion.Reason, tags = deletion.Tags }, AuditEntryResponse.JsonOptions),
        };
        try
        {
            await manifests.DeleteAsync(repository, tag is null ? Reference.ForDigest(digest) : Reference.ForTag(tag), cancellationToken);
        }
        catch (RegistryException error) when (error.Code == RegistryErrorCode.ManifestUnknown)
        {
            return null;
        }
        catch (RegistryException error)
        {
            await audit.RecordAsync(auditEvent with { Outcome = AuditOutcomes.Failed, Reason = $"{error.Code}: {error.Message}" }, AuditContext.System, CancellationToken.None);
            return error.Message;
        }

        await audit.RecordAsync(auditEvent, AuditContext.System, CancellationToken.None);
        return null;
    }

    /// <summary>Whether the tags of the deletion still point at its digest and no other tag has joined them.</summary>
    private async Task<bool> StillAsPlannedAsync(RepositoryName repository, RetentionDeletion deletion, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = repository.Value;
        if (deletion.Kind == RetentionDeletionKind.Tag)
        {
            var tag = deletion.Tags[0];
            return await db.Tags.AnyAsync(t => t.Repository == name && t.Name == tag && t.ManifestDigest == deletion.Digest, cancellationToken);
        }

        var current = await db.Tags.AsNoTracking().Where(t => t.Repository == name && t.ManifestDigest == deletion.Digest).Select(t => t.Name).ToListAsync(cancellationToken);
        return current.All(deletion.Tags.Contains);
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Retention run: {Repositories} repositories with a policy, {Planned} deletes planned, {Deleted} done, {Failed} failed")]
    private partial void LogRun(int repositories, int planned, int deleted, int failed);
}
