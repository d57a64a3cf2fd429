using Dockyard.Control.Engines;
using Dockyard.Control.Images;
using Dockyard.Control.Nodes;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Errors;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Control.Images;

/// <summary>
/// Images on the engines: list per node, pull from Dockyard's own registry, remove. An engine's images live in its
/// node's collection (the node's spec labels, <see cref="ControlLabels"/>): listing needs <see cref="Operation.NodeView"/>,
/// pulling <see cref="Operation.ContainerCreate"/> and removing <see cref="Operation.ContainerDelete"/> there (not
/// visible → 404, visible but refused → 403). A pull is made AS the caller: a registry token with pull on the one
/// repository is minted for the caller by the token issuer that serves <c>/auth/token</c> and handed to the engine
/// (<c>registrytoken</c>); a caller without pull is refused before any engine is asked. Only references to
/// <see cref="RegistryAddress"/> are pulled. Pulls and removals are audited (<c>image.pull</c>, <c>image.remove</c>).
/// </summary>
internal sealed class EngineImageService(
    EngineRegistry registry,
    IAccessAuthorizer authorizer,
    RegistryTokenIssuer tokens,
    RegistryAddress address,
    AuditedOperations audited)
{
    public async Task<EngineImageList> ListAsync(Caller caller, string? node, CancellationToken cancellationToken)
    {
        RequireAuthenticated(caller);
        var (targets, warnings) = await TargetsAsync(node, cancellationToken);
        var visible = new List<Target>();
        foreach (var target in targets)
        {
            if (await authorizer.MayAsync(caller.Principal, Operation.NodeView, Resource.InCollection(ResourceKind.Node, target.Collection), cancellationToken))
            {
                visible.Add(target);
            }
            else if (node is not null)
            {
                throw DomainException.NotFound($"Node '{node}' not found.");
            }
        }

        var lists = await Task.WhenAll(visible.Select(async target =>
        {
            try
            {
                var images = await new ImageClient(target.Engine.Client).ListAsync(false, null, cancellationToken);
                return (Images: images.Select(i => new EngineImageView(
                    i.Id, Clean(i.RepoTags), Clean(i.RepoDigests), i.Size, DateTimeOffset.FromUnixTimeSeconds(i.Created), target.Engine.Name, target.Engine.NodeId)).ToList(), Warning: (string?)null);
            }
            catch (EngineApiException error)
            {
                return ([], $"engine {target.Engine.Name}: {error.Message}");
            }
        }));
        return new EngineImageList(
            [.. lists.SelectMany(l => l.Images).OrderBy(i => i.Engine, StringComparer.Ordinal).ThenBy(i => i.RepoTags.FirstOrDefault() ?? "~", StringComparer.Ordinal)],
            [.. warnings, .. lists.Select(l => l.Warning).OfType<string>()]);
    }

    /// <summary>
    /// Pulls onto the request's node, or every reachable engine, reporting each engine's progress to
    /// <paramref name="onProgress"/> (called from several pulls at once: the callee serializes). A failure on one
    /// engine is its outcome, not an exception; refusals (400, 403, 404) come before any engine call.
    /// </summary>
    public Task<ImagePullResult> PullAsync(Caller caller, ImagePullRequest? request, Func<ImagePullEvent, Task>? onProgress, CancellationToken cancellationToken)
    {
        var text = request?.Reference;
        var node = request?.Node is { Length: > 0 } n ? n : null;
        RegistryImageReference? reference = null;
        IReadOnlyList<Target> targets = [];
        IReadOnlyList<string> warnings = [];
        string token = string.Empty;
        return audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.ImagePull, "images/" + text).WithFields(("reference", text), ("node", node ?? "all")),
            async ct =>
            {
                if (!address.TryParse(text, out var parsed, out var error))
                {
                    throw DomainException.Invalid("reference", error);
                }

                reference = parsed;
                (targets, warnings) = await TargetsAsync(node, ct);
                if (targets.Count == 0)
                {
                    throw DomainException.Unavailable("No engine is reachable to pull onto." + (warnings.Count > 0 ? " " + string.Join("; ", warnings) : string.Empty));
                }

                foreach (var target in targets)
                {
                    if (await DecideAsync(caller.Principal, Operation.ContainerCreate, target, "pull images onto", ct) is { IsAllowed: false } refused)
                    {
                        return refused;
                    }
                }

                var scope = new ResourceScope(ResourceScope.RepositoryType, parsed.Repository.Value, ["pull"]);
                var issued = await tokens.IssueAsync(caller.Principal, [scope], ct);
                if (!issued.Access.Any(a => a.Name == parsed.Repository.Value && a.Actions.Contains("pull")))
                {
                    return AccessDecisions.Forbidden($"You may not pull repository {parsed.Repository.Value}.");
                }

                token = issued.Token;
                return AccessDecision.Allowed;
            },
            async ct =>
            {
                var credentials = RegistryCredentials.ForToken(token, reference!.Address);
                var outcomes = await Task.WhenAll(targets.Select(target => PullOneAsync(target.Engine, reference, credentials, onProgress, ct)));
                return new ImagePullResult(reference.ToString(), outcomes, warnings);
            },
            cancellationToken,
            resultOf: result => new AuditedResult(
                AuditedResult.Of(("nodes", string.Join(",", result.Nodes.Select(o => o.NodeId ?? o.Engine))), ("failed", result.Failed)).Fields,
                result.Failed == 0 ? null : string.Join("; ", result.Nodes.Where(o => o.Message is not null).Select(o => $"{o.Engine}: {o.Message}"))));
    }

    /// <summary>Removes <paramref name="image"/> (id or reference) from <paramref name="node"/>; the engine's 409 (used by a container) unless forced.</summary>
    public Task<ImageRemoval> RemoveAsync(Caller caller, string image, string? node, bool force, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.ImageRemove, "images/" + image).WithFields(("image", image), ("node", node), ("force", force)),
            async ct =>
            {
                if (node is not { Length: > 0 })
                {
                    throw DomainException.Invalid("node", "Name the node (node id or engine name) to remove the image from.");
                }

                var (targets, _) = await TargetsAsync(node, ct);
                return await DecideAsync(caller.Principal, Operation.ContainerDelete, targets[0], "remove images from", ct);
            },
            async ct =>
            {
                var (targets, _) = await TargetsAsync(node, ct);
                var engine = targets[0].Engine;
                try
                {
                    var results = await new ImageClient(engine.Client).RemoveAsync(image, force, ct);
                    return new ImageRemoval(engine.Name, engine.NodeId, [.. results.Select(r => r.Untagged).OfType<string>()], [.. results.Select(r => r.Deleted).OfType<string>()]);
                }
                catch (EngineApiException error)
                {
                    throw EngineErrors.ToDomain(error);
                }
            },
            cancellationToken);

    private static async Task<ImagePullOutcome> PullOneAsync(
        ReachableEngine engine, RegistryImageReference reference, RegistryCredentials credentials, Func<ImagePullEvent, Task>? onProgress, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var progress in new ImageClient(engine.Client).PullAsync(reference.Image, reference.TagOrDigest, credentials, cancellationToken))
            {
                if (onProgress is not null)
                {
                    await onProgress(new ImagePullEvent(engine.Name, engine.NodeId, progress.Status, progress.Id, progress.Progress, progress.ProgressDetail?.Current, progress.ProgressDetail?.Total));
                }
            }

            return new ImagePullOutcome(engine.Name, engine.NodeId, ImagePullOutcomes.Pulled, null);
        }
        catch (EngineApiException error)
        {
            return new ImagePullOutcome(engine.Name, engine.NodeId, ImagePullOutcomes.Failed, error.Message);
        }
    }

    private async Task<AccessDecision> DecideAsync(Principal principal, Operation operation, Target target, string verb, CancellationToken cancellationToken)
    {
        var what = $"node {target.Engine.NodeId ?? target.Engine.Name}";
        if (await authorizer.MayAsync(principal, operation, Resource.InCollection(ResourceKind.Container, target.Collection), cancellationToken))
        {
            return AccessDecision.Allowed;
        }

        if (await authorizer.MayAsync(principal, Operation.NodeView, Resource.InCollection(ResourceKind.Node, target.Collection), cancellationToken))
        {
            return AccessDecisions.Forbidden($"You may not {verb} {what} (collection {target.Collection.Value}).");
        }

        return AccessDecision.Deny($"{what} is not visible", DomainException.NotFound($"Node '{target.Engine.NodeId ?? target.Engine.Name}' not found."));
    }

    /// <summary>The engines named by <paramref name="node"/> (node id or engine name; null = every reachable one), each with its node's collection.</summary>
    private async Task<(IReadOnlyList<Target> Targets, IReadOnlyList<string> Warnings)> TargetsAsync(string? node, CancellationToken cancellationToken)
    {
        await registry.EnsureLoadedAsync(cancellationToken);
        var reachable = registry.Reachable();
        var warnings = registry.List().Where(e => reachable.All(r => r.Name != e.Definition.Name))
            .Select(e => $"engine {e.Definition.Name}: {e.Status.State}" + (e.Status.Message is { Length: > 0 } m ? ": " + m : string.Empty)).ToList();
        var engines = node is null ? reachable : [.. reachable.Where(e => e.Name == node || e.NodeId == node)];
        if (node is not null && engines.Count == 0)
        {
            throw registry.List().Any(e => e.Definition.Name == node)
                ? DomainException.Unavailable($"Engine '{node}' is not reachable.")
                : DomainException.NotFound($"Node '{node}' not found.");
        }

        var labels = await NodeLabelsAsync(cancellationToken);
        return ([.. engines.Select(e => new Target(e, e.NodeId is { } id && labels.TryGetValue(id, out var l) ? ControlLabels.CollectionOf(l) : ControlLabels.Unlabeled))], warnings);
    }

    /// <summary>Every node's spec labels, from a reachable manager; none (so the root collection) without one.</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> NodeLabelsAsync(CancellationToken cancellationToken)
    {
        if (registry.Reachable().FirstOrDefault(e => e.IsManager) is not { } manager)
        {
            return new Dictionary<string, IReadOnlyDictionary<string, string>>();
        }

        try
        {
            var nodes = await new NodeClient(manager.Client).ListAsync(null, cancellationToken);
            return nodes.ToDictionary(n => n.Id, n => n.Labels, StringComparer.Ordinal);
        }
        catch (EngineApiException)
        {
            // Unknown labels put every node in the root collection: only administrators and root grantees reach it.
            return new Dictionary<string, IReadOnlyDictionary<string, string>>();
        }
    }

    private static void RequireAuthenticated(Caller caller)
    {
        if (!caller.Principal.IsAuthenticated)
        {
            throw DomainException.Unauthenticated("Authentication required.");
        }
    }

    private static List<string> Clean(IReadOnlyList<string>? references) =>
        references?.Where(r => r is not "<none>:<none>" and not "<none>@<none>").ToList() ?? [];

    private sealed record Target(ReachableEngine Engine, CollectionPath Collection);
}
