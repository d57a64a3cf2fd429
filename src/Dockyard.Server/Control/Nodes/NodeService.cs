using Dockyard.Control.Engines;
using Dockyard.Control.Nodes;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Access;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Nodes;

/// <summary>
/// Swarm nodes, through a reachable manager (<see cref="EngineRegistry.GetManager"/>; none → 503). A node's
/// collection is its spec labels' (<see cref="ControlLabels"/>): <see cref="Operation.NodeView"/> there to see it
/// (lists leave out the rest; a single node the caller may not see is 404), <see cref="Operation.NodeManage"/> to
/// change or remove it, and moving it to another collection needs <see cref="Operation.NodeManage"/> in both.
/// Changes are audited (<c>node.update</c>, <c>node.remove</c>), refusals included. Updates name the node's version;
/// one made stale by a concurrent change is retried once on the fresh node, then answered 409.
/// </summary>
internal sealed partial class NodeService(
    EngineRegistry registry,
    CollectionDecisions decisions,
    NodeWorkloads workloads,
    AuditedOperations audited,
    ILogger<NodeService> logger)
{
    private static readonly string[] Availabilities = ["active", "pause", "drain"];
    private static readonly string[] Roles = ["manager", "worker"];

    /// <summary>The nodes the caller may see, managers first, then by hostname.</summary>
    public async Task<IReadOnlyList<NodeView>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var nodes = await CallAsync(client => new NodeClient(client).ListAsync(null, cancellationToken), cancellationToken);
        var collections = nodes.ToDictionary(n => n.Id, n => ControlLabels.CollectionOf(n.Labels), StringComparer.Ordinal);
        var allowed = await decisions.AllowedAsync(caller.Principal, Operation.NodeView, ResourceKind.Node, collections.Values, cancellationToken);
        return [.. nodes.Where(n => allowed.Contains(collections[n.Id]))
            .OrderBy(n => n.Role == "manager" ? 0 : 1).ThenBy(n => n.Hostname, StringComparer.Ordinal).ThenBy(n => n.Id, StringComparer.Ordinal)
            .Select(View)];
    }

    /// <summary>One node (by id, id prefix or hostname) with the containers and images on it the caller may see.</summary>
    public async Task<NodeDetailsView> GetAsync(Caller caller, string reference, CancellationToken cancellationToken)
    {
        var node = await InspectAsync(reference, cancellationToken);
        await decisions.RequireAsync(caller.Principal, Operation.NodeView, Operation.NodeView, ResourceKind.Node, ControlLabels.CollectionOf(node.Labels), What(reference), cancellationToken);
        var (containers, images, message) = await workloads.ReadAsync(caller.Principal, node.Id, node.Hostname, cancellationToken);
        return new NodeDetailsView(View(node), containers, images, message);
    }

    /// <summary>Changes labels, availability and/or role; answers the node as it is afterwards.</summary>
    public async Task<NodeView> UpdateAsync(Caller caller, string reference, NodeChange? change, CancellationToken cancellationToken)
    {
        NodeSummary? node = null;
        var moveTo = change?.Labels is { } labels ? ControlLabels.CollectionOf(labels) : null;
        await audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.NodeUpdate, "nodes/" + reference).WithFields(
                ("availability", change?.Availability), ("role", change?.Role), ("labels", change?.Labels?.Count), ("collection", moveTo?.Value)),
            async token =>
            {
                Validate(change);
                node = await InspectAsync(reference, token);
                return await DecideChangeAsync(caller.Principal, reference, node, moveTo, token);
            },
            token => ApplyAsync(caller.Principal, reference, node!, change!, moveTo, token),
            cancellationToken);
        if (change?.Role is not null)
        {
            // A promoted or demoted node's engine answers differently now (manager or not).
            registry.RequestRefresh();
        }

        return View(await InspectAsync(node!.Id, cancellationToken));
    }

    /// <summary>
    /// Removes a node from the swarm. Without <paramref name="force"/> the managers refuse a node that is not down
    /// (their message is the answer); with it, they drop it anyway.
    /// </summary>
    public Task RemoveAsync(Caller caller, string reference, bool force, CancellationToken cancellationToken)
    {
        NodeSummary? node = null;
        return audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.NodeRemove, "nodes/" + reference).WithFields(("force", force)),
            async token =>
            {
                node = await InspectAsync(reference, token);
                return await decisions.DecideAsync(caller.Principal, Operation.NodeManage, Operation.NodeView, ResourceKind.Node, ControlLabels.CollectionOf(node.Labels), What(reference), token);
            },
            async token =>
            {
                await CallAsync(client => new NodeClient(client).RemoveAsync(node!.Id, force, token), token);
                LogRemoved(node!.Id, node.Hostname, caller.Principal.Name, force);
                registry.RequestRefresh();
            },
            cancellationToken);
    }

    private static void Validate(NodeChange? change)
    {
        if (change is null || (change.Labels is null && change.Availability is null && change.Role is null))
        {
            throw DomainException.Invalid("request", "Send at least one of labels, availability and role.");
        }

        if (change.Availability is { } availability && !Availabilities.Contains(availability, StringComparer.Ordinal))
        {
            throw DomainException.Invalid("availability", $"Availability must be one of {string.Join(", ", Availabilities)}.");
        }

        if (change.Role is { } role && !Roles.Contains(role, StringComparer.Ordinal))
        {
            throw DomainException.Invalid("role", $"Role must be one of {string.Join(", ", Roles)}.");
        }

        foreach (var (key, value) in change.Labels ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > 255 || value is null || value.Length > 4096)
            {
                throw DomainException.Invalid("labels", "Label keys must be 1–255 characters, values at most 4096.");
            }
        }

        if (change.Labels is { } labels && labels.TryGetValue(ControlLabels.Collection, out var collection) && !CollectionPath.TryParse(collection, out _))
        {
            throw DomainException.Invalid("labels", $"Label {ControlLabels.Collection} must be a collection path such as /Shared/ops, not '{collection}'.");
        }
    }

    /// <summary>NodeManage where the node is; and, when its labels move it, NodeManage where it goes too.</summary>
    private async Task<AccessDecision> DecideChangeAsync(Principal principal, string reference, NodeSummary node, CollectionPath? moveTo, CancellationToken cancellationToken)
    {
        var current = ControlLabels.CollectionOf(node.Labels);
        var decision = await decisions.DecideAsync(principal, Operation.NodeManage, Operation.NodeView, ResourceKind.Node, current, What(reference), cancellationToken);
        if (!decision.IsAllowed || moveTo is null || moveTo == current)
        {
            return decision;
        }

        var allowed = await decisions.AllowedAsync(principal, Operation.NodeManage, ResourceKind.Node, [moveTo], cancellationToken);
        if (allowed.Contains(moveTo))
        {
            return decision;
        }

        var reason = $"You may not move {What(reference)} into collection {moveTo}: managing nodes there is not granted to you.";
        return AccessDecision.Deny(reason, DomainException.Forbidden(reason));
    }

    private async Task ApplyAsync(Principal principal, string reference, NodeSummary node, NodeChange change, CollectionPath? moveTo, CancellationToken cancellationToken)
    {
        var spec = new NodeSpecChange(Labels: change.Labels, Role: change.Role, Availability: change.Availability);
        try
        {
            await CallAsync(client => new NodeClient(client).UpdateAsync(node.Id, node.Version, spec, cancellationToken), cancellationToken, translateConflict: false);
        }
        catch (EngineApiException stale) when (stale.Kind == EngineErrorKind.Conflict)
        {
            // Changed since it was read ("update out of sequence"): once more on the fresh node, if the decision still holds.
            LogRetry(node.Id, node.Version);
            var fresh = await InspectAsync(node.Id, cancellationToken);
            if (ControlLabels.CollectionOf(fresh.Labels) != ControlLabels.CollectionOf(node.Labels))
            {
                throw DomainException.Conflict($"Node {reference} moved to another collection while it was being changed; try again.");
            }

            if (!(await DecideChangeAsync(principal, reference, fresh, moveTo, cancellationToken)).IsAllowed)
            {
                throw DomainException.Conflict($"Node {reference} changed while it was being changed; try again.");
            }

            await CallAsync(client => new NodeClient(client).UpdateAsync(fresh.Id, fresh.Version, spec, cancellationToken), cancellationToken);
        }
    }

    private Task<NodeSummary> InspectAsync(string reference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Length > 128 || reference.Contains('/', StringComparison.Ordinal))
        {
            throw DomainException.NotFound(NotFound(reference));
        }

        return CallAsync(client => new NodeClient(client).InspectAsync(reference, cancellationToken), cancellationToken, notFound: NotFound(reference));
    }

    /// <summary>
    /// Runs a call on a reachable manager; engine failures become <see cref="DomainException"/>s (an unknown node is
    /// the same "not found" as one the caller may not see). With <paramref name="translateConflict"/> off, a 409 is
    /// left to the caller (for the retry).
    /// </summary>
    private async Task<T> CallAsync<T>(Func<EngineClient, Task<T>> call, CancellationToken cancellationToken, string? notFound = null, bool translateConflict = true)
    {
        await registry.EnsureLoadedAsync(cancellationToken);
        var manager = registry.GetManager()
            ?? throw DomainException.Unavailable("No swarm manager is reachable: nodes are read and changed through a manager's engine. Add a manager node's engine under Engines, or check why the configured ones are unreachable.");
        try
        {
            return await call(manager);
        }
        catch (EngineApiException error) when (error.Kind != EngineErrorKind.Conflict || translateConflict)
        {
            throw error.Kind == EngineErrorKind.NotFound && notFound is not null ? DomainException.NotFound(notFound) : EngineErrors.ToDomain(error);
        }
    }

    private Task CallAsync(Func<EngineClient, Task> call, CancellationToken cancellationToken, bool translateConflict = true) =>
        CallAsync(
            async client =>
            {
                await call(client);
                return true;
            },
            cancellationToken,
            translateConflict: translateConflict);

    private NodeView View(NodeSummary node) =>
        NodeView.From(node, registry.List().FirstOrDefault(e => e.Status.NodeId == node.Id)?.Definition.Name);

    /// <summary>"node x" — the same words in "not found" whether it does not exist or may not be seen.</summary>
    private static string What(string reference) => "node " + reference;

    private static string NotFound(string reference) => $"Node {reference} not found.";

    [LoggerMessage(EventId = 4510, Level = LogLevel.Information, Message = "Node {NodeId} is out of sequence at version {Version}; retrying once on the fresh node")]
    private partial void LogRetry(string nodeId, long version);

    [LoggerMessage(EventId = 4511, Level = LogLevel.Information, Message = "Node {NodeId} ({Hostname}) removed from the swarm by {User} (force: {Force})")]
    private partial void LogRemoved(string nodeId, string hostname, string user, bool force);
}
