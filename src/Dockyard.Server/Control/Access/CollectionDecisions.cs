using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Access;

/// <summary>
/// Decisions on control-plane resources (nodes, containers, images on engines, later services, stacks, secrets),
/// asked of the one authorizer with the resource's collection (<see cref="ControlLabels"/>). A resource the caller
/// may not even see is refused as not found — its existence is not disclosed — and one it sees but may not act on
/// as forbidden, with the operation named.
/// </summary>
internal sealed class CollectionDecisions(IAccessAuthorizer authorizer)
{
    /// <summary>
    /// May <paramref name="principal"/> do <paramref name="operation"/> to the <paramref name="kind"/> described by
    /// <paramref name="what"/> (e.g. "container web-1") in <paramref name="collection"/>? <paramref name="view"/> is the
    /// kind's view operation, asked only when the operation is refused.
    /// </summary>
    public async Task<AccessDecision> DecideAsync(
        Principal principal, Operation operation, Operation view, ResourceKind kind, CollectionPath collection, string what, CancellationToken cancellationToken)
    {
        var resource = Resource.InCollection(kind, collection);
        var decision = await authorizer.DecideAsync(principal, operation, resource, cancellationToken);
        if (decision.Allowed)
        {
            return AccessDecision.Allowed;
        }

        if (operation != view && await authorizer.MayAsync(principal, view, resource, cancellationToken))
        {
            var reason = $"You may not {Describe(operation)} {what}: {decision.Reason}.";
            return AccessDecision.Deny(reason, DomainException.Forbidden(reason));
        }

        var hidden = $"{char.ToUpperInvariant(what[0])}{what[1..]} not found.";
        return AccessDecision.Deny($"{what} is not visible: {decision.Reason}", DomainException.NotFound(hidden));
    }

    /// <summary>As <see cref="DecideAsync"/>, throwing the refusal: for reads, which are not audited.</summary>
    public async Task RequireAsync(
        Principal principal, Operation operation, Operation view, ResourceKind kind, CollectionPath collection, string what, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(principal, operation, view, kind, collection, what, cancellationToken);
        if (!decision.IsAllowed)
        {
            throw decision.Error!;
        }
    }

    /// <summary>
    /// Of <paramref name="collections"/>, those in which <paramref name="principal"/> may do <paramref name="operation"/>:
    /// one decision per distinct collection, so a list of 500 containers in a handful of collections costs a handful.
    /// </summary>
    public async Task<IReadOnlySet<CollectionPath>> AllowedAsync(
        Principal principal, Operation operation, ResourceKind kind, IEnumerable<CollectionPath> collections, CancellationToken cancellationToken)
    {
        var allowed = new HashSet<CollectionPath>();
        foreach (var collection in collections.Distinct())
        {
            if (await authorizer.MayAsync(principal, operation, Resource.InCollection(kind, collection), cancellationToken))
            {
                allowed.Add(collection);
            }
        }

        return allowed;
    }

    private static string Describe(Operation operation) => operation switch
    {
        Operation.ContainerLogs => "read the logs of",
        Operation.ContainerExec => "open a terminal in",
        Operation.ContainerOperate => "start, stop or restart",
        Operation.ContainerDelete => "remove",
        Operation.NodeManage => "change",
        Operation.NodeSchedule => "place work on",
        _ => "do " + operation + " on",
    };
}
