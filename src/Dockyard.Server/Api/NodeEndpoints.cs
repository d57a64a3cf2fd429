using Dockyard.Server.Audit;
using Dockyard.Server.Control.Nodes;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/nodes</c> and <c>/api/v1/swarm/join</c>: the swarm's nodes, read and changed through a reachable manager
/// (none → 503). Who may see and change which node is decided in the node's collection by <see cref="NodeService"/>
/// (lists show only the visible ones; an invisible node is 404, a visible one the caller may not change 403); the
/// join commands are for system administrators only (<see cref="SwarmJoinService"/>). Changes are audited there.
/// </summary>
internal static class NodeEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes").WithTags("Nodes")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        nodes.MapGet("/", ListAsync).WithName("ListNodes").WithSummary("The swarm's nodes the caller may see, with status, resources, labels, collection and the Dockyard engine reaching each.");
        nodes.MapGet("/{id}", GetAsync).WithName("GetNode").WithSummary("One node (id, id prefix or hostname) with the containers and image digests running on it, read from its own engine.");
        nodes.MapPatch("/{id}", UpdateAsync).WithName("UpdateNode").WithSummary("Change a node's labels (the whole set), availability (active, pause, drain) and/or role (manager, worker).");
        nodes.MapDelete("/{id}", RemoveAsync).WithName("RemoveNode").WithSummary("Remove a node from the swarm; a node that is not down needs force=true.");

        var join = api.MapGroup("/swarm/join").WithTags("Nodes")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        join.MapGet("/", GetJoinAsync).WithName("GetSwarmJoin").WithSummary("The docker swarm join commands for workers and managers (administrators).");
        join.MapPost("/rotate", RotateAsync).WithName("RotateSwarmJoinToken").WithSummary("Replace the worker or manager join token (administrators); joined nodes are not affected.");
    }

    private static async Task<IResult> ListAsync(HttpContext context, NodeService nodes, CancellationToken cancellationToken) =>
        Results.Ok(new NodeList(await nodes.ListAsync(Caller.Of(context), cancellationToken)));

    private static async Task<IResult> GetAsync(string id, HttpContext context, NodeService nodes, CancellationToken cancellationToken) =>
        Results.Ok(await nodes.GetAsync(Caller.Of(context), id, cancellationToken));

    private static async Task<IResult> UpdateAsync(string id, NodePatchRequest? request, HttpContext context, NodeService nodes, CancellationToken cancellationToken) =>
        Results.Ok(await nodes.UpdateAsync(
            Caller.Of(context),
            id,
            request is null ? null : new NodeChange(request.Labels, request.Availability, request.Role),
            cancellationToken));

    private static async Task<IResult> RemoveAsync(string id, bool? force, HttpContext context, NodeService nodes, CancellationToken cancellationToken)
    {
        await nodes.RemoveAsync(Caller.Of(context), id, force ?? false, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> GetJoinAsync(HttpContext context, SwarmJoinService join, CancellationToken cancellationToken) =>
        Results.Ok(await join.GetAsync(Caller.Of(context), cancellationToken));

    private static async Task<IResult> RotateAsync(RotateRequest? request, HttpContext context, SwarmJoinService join, CancellationToken cancellationToken) =>
        Results.Ok(await join.RotateAsync(Caller.Of(context), request?.Role, cancellationToken));

    /// <summary>The nodes the caller may see.</summary>
    internal sealed record NodeList(IReadOnlyList<NodeView> Items);

    internal sealed record NodePatchRequest(Dictionary<string, string>? Labels, string? Availability, string? Role);

    internal sealed record RotateRequest(string? Role);
}
