using Dockyard.Control.Compose;
using Dockyard.Control.Engines;
using Dockyard.Control.Stacks;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// Stacks: Compose applications deployed to the swarm as <c>docker stack deploy</c> would, with Dockyard's record
/// (metadata, revisions, follows). A deploy is checked completely before the first engine call — the Compose files
/// load, the caller may deploy to the collection (<see cref="Operation.StackDeploy"/>) and pull every Dockyard image,
/// the tags resolve, no other stack owns a service name, external objects exist, no secret's data would change — then
/// applied (<see cref="StackDeployer"/>), recorded as a revision and audited. Reads are <see cref="StackReader"/>'s.
/// </summary>
internal sealed partial class StackService(
    IDbContextFactory<DockyardDbContext> contexts,
    StackReader reader,
    CollectionDecisions decisions,
    StackImageResolver images,
    StackDeployer deployer,
    StackRevisionCodec codec,
    AuditedOperations audited,
    StackLocks locks,
    Follow.IStackDeployGate gate,
    TimeProvider time,
    ILogger<StackService> logger)
{
    /// <summary>The largest attachment accepted, decoded.</summary>
    public const int MaxAttachmentBytes = 1024 * 1024;

    public Task<StackListView> ListAsync(Caller caller, CancellationToken cancellationToken) => reader.ListAsync(caller, cancellationToken);

    public Task<StackDetailView> GetAsync(Caller caller, string name, CancellationToken cancellationToken) => reader.GetAsync(caller, name, cancellationToken);

    /// <summary>Creates (<paramref name="create"/>) or updates a stack from Compose files; see the class remarks.</summary>
    public async Task<StackDeployResult> DeployAsync(Caller caller, StackDeployRequest request, bool create, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(request.Name, cancellationToken);
        StackDeployment? deployment = null;
        return await audited.RunAsync(
            caller,
            new AuditedAction(create ? AuditActions.StackDeploy : AuditActions.StackUpdate, "stacks/" + request.Name).WithFields(("stack", request.Name), ("collection", request.Collection)),
            async ct =>
            {
                var name = StackNames.Require(request.Name);
                var content = ContentOf(request);
                var found = await FindOrNullAsync(name, ct);
                if (create && found is not null)
                {
                    throw DomainException.Conflict(found.Record is null
                        ? $"Stack {name} exists on the swarm but is not managed by Dockyard: adopt it first."
                        : $"Stack {name} already exists: update it (PUT /api/v1/stacks/{name}).");
                }

                if (!create && found?.Record is null)
                {
                    throw found is null ? DomainException.NotFound($"Stack {name} not found.") : DomainException.Conflict($"Stack {name} is not managed by Dockyard: adopt it first.");
                }

                var collection = CollectionOf(caller.Principal, request.Collection, found?.Record);
                if (await DecideAsync(caller.Principal, Operation.StackDeploy, name, [collection, .. found?.Collections ?? []], ct) is { IsAllowed: false } refused)
                {
                    return refused;
                }

                var metadata = new StackMetadata(
                    Clean(request.Version, 128, "version") ?? found?.Record?.Version,
                    Clean(request.Description, 2000, "description") ?? found?.Record?.Description,
                    Clean(request.SourceUrl, 2048, "sourceUrl") ?? found?.Record?.SourceUrl,
                    Clean(request.SourceRevision, 255, "sourceRevision") ?? found?.Record?.SourceRevision);
                deployment = await PrepareAsync(caller.Principal, name, found, collection, metadata, content, null, null, new HashSet<string>(), ct);
                return AccessDecision.Allowed;
            },
            ct => CommitAsync(caller, deployment!, ct),
            cancellationToken,
            resultOf: result => Audited(deployment!, result.Revision));
    }

    /// <summary>Redeploys revision <paramref name="revision"/>'s content as a new revision, with the digests it ran (tags are not resolved again).</summary>
    public async Task<StackDeployResult> RollbackAsync(Caller caller, string name, int revision, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(name, cancellationToken);
        StackDeployment? deployment = null;
        return await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.StackRollback, "stacks/" + name).WithFields(("stack", name), ("note", $"rollback to {revision}")),
            async ct =>
            {
                var found = await ManagedAsync(name, ct);
                if (await DecideAsync(caller.Principal, Operation.StackDeploy, name, found.Collections, ct) is { IsAllowed: false } refused)
                {
                    return refused;
                }

                var target = await RevisionAsync(found.Record!, revision, ct);
                var content = codec.Read(target);
                var metadata = new StackMetadata(target.Version, target.Description, target.SourceUrl, target.SourceRevision);
                deployment = await PrepareAsync(
                    caller.Principal, name, found, CollectionPath.Parse(found.Record!.Collection), metadata, content, $"rollback to {revision}", content.Images, new HashSet<string>(), ct);
                return AccessDecision.Allowed;
            },
            ct => CommitAsync(caller, deployment!, ct),
            cancellationToken,
            resultOf: result => Audited(deployment!, result.Revision));
    }

    /// <summary>
    /// "Pull latest and redeploy": re-resolves the tags of the selected services' Dockyard images and updates those whose
    /// digest changed, or force-updates every selected service (<see cref="StackRedeployRequest.Force"/>, or no pull).
    /// Records a revision when anything was updated.
    /// </summary>
    public async Task<StackRedeployResult> RedeployAsync(Caller caller, string name, StackRedeployRequest request, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(name, cancellationToken);
        StackDeployment? deployment = null;
        List<StackImageChange> changes = [];
        return await audited.RunAsync(
            caller,
            new AuditedAction(request.AuditAction, "stacks/" + name).WithFields(("stack", name), ("pull", request.Pull), ("force", request.Force)),
            async ct =>
            {
                var found = await ManagedAsync(name, ct);
                if (await DecideAsync(caller.Principal, Operation.StackDeploy, name, found.Collections, ct) is { IsAllowed: false } refused)
                {
                    return refused;
                }

                if (found.Record!.CurrentRevision == 0)
                {
                    throw DomainException.Conflict($"Stack {name} was adopted and has no revision yet: deploy it once first.");
                }

                var content = codec.Read(await RevisionAsync(found.Record, found.Record.CurrentRevision, ct));
                var project = Load(content).Project;
                var selected = project.Services.Where(s => request.Services is null || request.Services.Contains(s.Name)).ToList();
                foreach (var unknown in request.Services?.Where(s => project.Services.All(p => p.Name != s)) ?? [])
                {
                    throw DomainException.Invalid("services", $"Stack {name} has no service {unknown}.");
                }

                var pins = new Dictionary<string, string>(content.Images, StringComparer.Ordinal);
                var force = new HashSet<string>(StringComparer.Ordinal);
                if (request.Pull)
                {
                    var fresh = await images.ResolveAsync(caller.Principal, selected.Select(s => s.Image), null, ct);
                    foreach (var service in selected.Where(s => fresh.Pinned.ContainsKey(s.Image)))
                    {
                        var to = fresh.Pinned[service.Image];
                        var from = content.Images.GetValueOrDefault(service.Image);
                        if (from != to)
                        {
                            changes.Add(new StackImageChange(service.Name, service.Image, from, to));
                            pins[service.Image] = to;
                        }
                    }
                }

                if (request.Force || !request.Pull)
                {
                    force.UnionWith(selected.Select(s => s.Name));
                    changes.AddRange(selected.Where(s => changes.All(c => c.Service != s.Name))
                        .Select(s => new StackImageChange(s.Name, s.Image, pins.GetValueOrDefault(s.Image), pins.GetValueOrDefault(s.Image))));
                }

                if (changes.Count > 0)
                {
                    var record = found.Record;
                    var note = request.Note ?? (changes.Any(c => c.From != c.To)
                        ? "redeploy: " + string.Join(", ", changes.Where(c => c.From != c.To).Select(c => $"{c.Service} → {Digest(c.To)}"))
                        : "redeploy (forced)");
                    deployment = await PrepareAsync(
                        caller.Principal, name, found, CollectionPath.Parse(record.Collection),
                        new StackMetadata(record.Version, record.Description, record.SourceUrl, record.SourceRevision),
                        content with { Images = pins }, note, pins, force, ct);
                }

                return AccessDecision.Allowed;
            },
            async ct =>
            {
                if (deployment is null)
                {
                    return new StackRedeployResult(null, [], []);
                }

                var result = await CommitAsync(caller, deployment, ct);
                return new StackRedeployResult(result.Revision, changes, result.Warnings);
            },
            cancellationToken,
            resultOf: result => AuditedResult.Of(("revision", result.Revision), ("services", string.Join(",", result.Updated.Select(u => u.Service)))));
    }

    /// <summary>Loads, checks and resolves everything a deploy needs, reading the swarm but changing nothing.</summary>
    private async Task<StackDeployment> PrepareAsync(
        Principal principal,
        string name,
        StackFound? found,
        CollectionPath collection,
        StackMetadata metadata,
        StackRevisionContent content,
        string? note,
        IReadOnlyDictionary<string, string>? pinned,
        IReadOnlySet<string> force,
        CancellationToken cancellationToken)
    {
        var loaded = Load(content);
        var project = loaded.Project;
        var warnings = loaded.Warnings.Select(w => new StackWarning(w.File, w.Line, w.Column, w.Message)).ToList();
        foreach (var follow in content.Follow.Where(f => project.Services.All(s => s.Name != f)))
        {
            throw DomainException.Invalid("follow", $"The Compose files have no service {follow} to follow.");
        }

        var resolution = await images.ResolveAsync(principal, project.Services.Select(s => s.Image), pinned, cancellationToken);
        warnings.AddRange(resolution.Warnings);
        await CheckGateAsync(name, resolution, cancellationToken);
        var follows = new List<StackFollowEntity>();
        foreach (var service in project.Services.Where(s => content.Follow.Contains(s.Name)))
        {
            if (!resolution.Hosted.TryGetValue(service.Image, out var hosted) || hosted.Tag is null)
            {
                throw DomainException.Invalid("follow", $"Service {service.Name} cannot follow {service.Image}: only tags of images Dockyard hosts can be followed.");
            }

            follows.Add(new StackFollowEntity { Service = service.Name, Repository = hosted.Repository, Tag = hosted.Tag });
        }

        var labels = new Dictionary<string, string> { [ControlLabels.Collection] = collection.Value };
        var plan = StackConverter.Convert(name, project, resolution.Pinned, labels);
        var manager = found?.Manager ?? await reader.ManagerAsync(cancellationToken) ?? throw DomainException.Unavailable("No swarm manager is reachable.");
        try
        {
            var state = await deployer.PrepareAsync(manager, plan, cancellationToken);
            warnings.AddRange(state.Warnings);
            var forced = new HashSet<string>(plan.Services.Where(s => force.Contains(s.ShortName)).Select(s => s.Name), StringComparer.Ordinal);
            return new StackDeployment(
                name, found?.Record, collection, metadata, content with { Images = resolution.Pinned }, note, plan, state, resolution, forced, follows, manager, warnings);
        }
        catch (EngineApiException error)
        {
            throw EngineErrors.ToDomain(error);
        }
    }

    /// <summary>
    /// Asks <see cref="Follow.IStackDeployGate"/> (signature policies) about every Dockyard image the deploy would run,
    /// before the swarm is touched: a refusal is a conflict naming the image and why (the missing signers).
    /// </summary>
    private async Task CheckGateAsync(string name, StackImageResolution resolution, CancellationToken cancellationToken)
    {
        foreach (var (image, reference) in resolution.Pinned)
        {
            var at = reference.LastIndexOf('@');
            if (at > 0 && resolution.Hosted.TryGetValue(image, out var hosted)
                && await gate.RefusalAsync(name, hosted.Repository, reference[(at + 1)..], cancellationToken) is { } refusal)
            {
                throw DomainException.Conflict($"Image {image} cannot be deployed: {refusal}").With(("image", image));
            }
        }
    }

    /// <summary>Applies a prepared deploy, waits briefly for placement, and records the revision.</summary>
    private async Task<StackDeployResult> CommitAsync(Caller caller, StackDeployment deployment, CancellationToken cancellationToken)
    {
        StackApplyResult applied;
        try
        {
            applied = await deployer.ApplyAsync(deployment.Manager, deployment.Plan, deployment.State, deployment.Images.RegistryAuth, prune: true, deployment.Force, cancellationToken);
        }
        catch (EngineApiException error)
        {
            LogApplyFailed(logger, deployment.Name, error.Message);
            throw EngineErrors.ToDomain(error);
        }

        var placement = await deployer.WaitForPlacementAsync(
            deployment.Manager,
            applied.ServiceIds.Where(s => applied.Created.Contains(s.Key) || applied.Updated.Contains(s.Key)).ToDictionary(),
            cancellationToken);
        var number = await RecordAsync(caller, deployment, cancellationToken);
        LogDeployed(logger, deployment.Name, number, applied.Created.Count, applied.Updated.Count, applied.Removed.Count);
        var detail = await reader.DetailAsync(await reader.FindAsync(deployment.Name, cancellationToken), cancellationToken);
        return new StackDeployResult(detail, number, [.. deployment.Warnings, .. placement]);
    }

    /// <summary>Writes the stack row, the new revision and the follows in one transaction; returns the revision number.</summary>
    private async Task<int> RecordAsync(Caller caller, StackDeployment deployment, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteRevisionAsync(caller, deployment, cancellationToken);
        }
        catch (DbUpdateException error)
        {
            // The stack lock makes this a race with a writer that did not take it (e.g. replicas configured with
            // per-process locks): the other one's revision won (unique stack name, unique revision number).
            LogRecordConflict(logger, deployment.Name, error.InnerException?.Message ?? error.Message);
            throw DomainException.Conflict(
                $"Stack {deployment.Name} was changed by another operation at the same time: this deploy was applied to the swarm but not recorded. Check the stack and deploy again.");
        }
    }

    private async Task<int> WriteRevisionAsync(Caller caller, StackDeployment deployment, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stack = await db.Stacks.SingleOrDefaultAsync(s => s.Name == deployment.Name, cancellationToken);
        if (stack is null)
        {
            stack = new StackEntity { Name = deployment.Name, Collection = deployment.Collection.Value, Owner = caller.Principal.Name, CreatedAt = now };
            db.Stacks.Add(stack);
        }

        var metadata = deployment.Metadata;
        (stack.Collection, stack.Version, stack.Description, stack.SourceUrl, stack.SourceRevision, stack.UpdatedAt) =
            (deployment.Collection.Value, metadata.Version, metadata.Description, metadata.SourceUrl, metadata.SourceRevision, now);
        await db.SaveChangesAsync(cancellationToken);

        var number = (await db.StackRevisions.Where(r => r.StackId == stack.Id).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0) + 1;
        var revision = new StackRevisionEntity
        {
            StackId = stack.Id,
            Number = number,
            Files = string.Empty,
            Environment = string.Empty,
            Images = string.Empty,
            Follow = string.Empty,
            Version = metadata.Version,
            Description = metadata.Description,
            SourceUrl = metadata.SourceUrl,
            SourceRevision = metadata.SourceRevision,
            Note = deployment.Note,
            CreatedBy = caller.Principal.Name,
            CreatedAt = now,
        };
        codec.Write(revision, deployment.Content);
        db.StackRevisions.Add(revision);
        stack.CurrentRevision = number;
        await db.StackFollows.Where(f => f.StackId == stack.Id).ExecuteDeleteAsync(cancellationToken);
        foreach (var follow in deployment.Follows)
        {
            follow.StackId = stack.Id;
            db.StackFollows.Add(follow);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return number;
    }

    /// <summary>The content of a deploy request, validated: at least one file, each within the loader's limit, attachments decoded.</summary>
    private static StackRevisionContent ContentOf(StackDeployRequest request)
    {
        if (request.Files.Count == 0)
        {
            throw DomainException.Invalid("files", "Give the Compose file (compose, or files: [{name, text}]).");
        }

        foreach (var file in request.Files)
        {
            if (string.IsNullOrWhiteSpace(file.Name) || file.Text is null)
            {
                throw DomainException.Invalid("files", "Every file needs a name and a text.");
            }

            var bytes = System.Text.Encoding.UTF8.GetByteCount(file.Text);
            if (bytes > ComposeLoader.MaxSourceBytes)
            {
                throw DomainException.Invalid("files", $"Compose file {file.Name} is {bytes / 1024.0 / 1024.0:0.0} MiB; the limit is {ComposeLoader.MaxSourceBytes / 1024 / 1024} MiB.");
            }
        }

        var secretNames = request.SecretVariables.ToHashSet(StringComparer.Ordinal);
        var attachments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, base64) in request.Attachments)
        {
            var buffer = new byte[(base64.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(base64, buffer, out var length))
            {
                throw DomainException.Invalid("attachments", $"Attachment {path} is not base64.");
            }

            if (length > MaxAttachmentBytes)
            {
                throw DomainException.Invalid("attachments", $"Attachment {path} is larger than {MaxAttachmentBytes / 1024 / 1024} MiB.");
            }

            attachments[path] = buffer[..length];
        }

        return new StackRevisionContent(
            request.Files,
            request.Environment.Where(e => !secretNames.Contains(e.Key)).ToDictionary(StringComparer.Ordinal),
            request.Environment.Where(e => secretNames.Contains(e.Key)).ToDictionary(StringComparer.Ordinal),
            attachments,
            new Dictionary<string, string>(),
            [.. request.Follow.Distinct(StringComparer.Ordinal)]);
    }

    private static ComposeLoadResult Load(StackRevisionContent content)
    {
        try
        {
            return ComposeLoader.Load([.. content.Files.Select(f => new ComposeSource(f.Name, f.Text))], content.Interpolation(), content.Attachments);
        }
        catch (ComposeException error)
        {
            throw ComposeErrors.ToDomain(error);
        }
    }

    /// <summary>One decision per collection the operation touches (the stack's and each of its services'); the first refusal wins.</summary>
    private async Task<AccessDecision> DecideAsync(Principal principal, Operation operation, string name, IEnumerable<CollectionPath> collections, CancellationToken cancellationToken)
    {
        foreach (var collection in collections.Distinct())
        {
            var decision = await decisions.DecideAsync(principal, operation, Operation.StackView, ResourceKind.Stack, collection, $"stack {name}", cancellationToken);
            if (!decision.IsAllowed)
            {
                return decision;
            }
        }

        return AccessDecision.Allowed;
    }

    private async Task<StackFound?> FindOrNullAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.FindAsync(name, cancellationToken);
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>A stack Dockyard manages (404 when there is none, 409 when it exists only on the swarm).</summary>
    private async Task<StackFound> ManagedAsync(string name, CancellationToken cancellationToken)
    {
        var found = await reader.FindAsync(name, cancellationToken);
        return found.Record is not null ? found : throw DomainException.Conflict($"Stack {name} is not managed by Dockyard: adopt it first.");
    }

    private async Task<StackRevisionEntity> RevisionAsync(StackEntity stack, int number, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.StackRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.StackId == stack.Id && r.Number == number, cancellationToken)
            ?? throw DomainException.NotFound($"Stack {stack.Name} has no revision {number}.");
    }

    private static CollectionPath CollectionOf(Principal principal, string? requested, StackEntity? existing)
    {
        if (requested is { Length: > 0 })
        {
            return CollectionPath.TryParse(requested, out var path) ? path : throw DomainException.Invalid("collection", $"'{requested}' is not a collection path.");
        }

        return existing is not null
            ? CollectionPath.Parse(existing.Collection)
            : ControlLabels.DefaultFor(principal.Name) ?? throw DomainException.Invalid("collection", "Name the stack's collection.");
    }

    private static string? Clean(string? value, int max, string field) => value is null
        ? null
        : value.Length <= max ? value.Trim() : throw DomainException.Invalid(field, $"At most {max} characters.");

    private static string Digest(string? pinned) => pinned is null ? "?" : pinned[(pinned.LastIndexOf('@') + 1)..];

    private static AuditedResult Audited(StackDeployment deployment, int revision) => AuditedResult.Of(
        ("revision", revision),
        ("collection", deployment.Collection.Value),
        ("services", string.Join(",", deployment.Plan.Services.Select(s => s.ShortName))),
        ("images", string.Join(",", deployment.Content.Images.Values)));

    [LoggerMessage(EventId = 4640, Level = LogLevel.Information, Message = "Stack {Stack} deployed as revision {Revision}: {Created} services created, {Updated} updated, {Removed} removed")]
    private static partial void LogDeployed(ILogger logger, string stack, int revision, int created, int updated, int removed);

    [LoggerMessage(EventId = 4641, Level = LogLevel.Warning, Message = "Stack {Stack}: deploy failed on the swarm: {Reason}")]
    private static partial void LogApplyFailed(ILogger logger, string stack, string reason);

    [LoggerMessage(EventId = 4643, Level = LogLevel.Warning, Message = "Stack {Stack}: recording the revision conflicted with another operation: {Reason}")]
    private static partial void LogRecordConflict(ILogger logger, string stack, string reason);
}
