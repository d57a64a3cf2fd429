using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Containers;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/containers</c>: the containers of every engine the caller may see (collection grants with
/// <c>ContainerView</c>), one container's inspection, its lifecycle and removal. A container is named by id, id prefix
/// or name (<c>{reference}</c>); one the caller may not see is 404, one they see but may not change 403. An engine that
/// is down is a warning in the list, never an error. Changes are authorized and audited by <see cref="ContainerService"/>.
/// </summary>
internal static class ContainerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var containers = api.MapGroup("/containers").WithTags("Containers")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        containers.MapGet("/", ListAsync).WithName("ListContainers")
            .WithSummary("Containers on every engine the caller may see, with warnings for engines that could not be asked; filters name, image, label, node, status; system=true includes system containers; sort name|image|state|created|node, order asc|desc.");
        containers.MapGet("/{reference}", InspectAsync).WithName("InspectContainer")
            .WithSummary("One container (id, id prefix or name): configuration, state, host configuration, mounts, networks, labels, collection, engine, node, and the engine's whole document as raw.");
        foreach (var action in Enum.GetValues<ContainerAction>())
        {
            var name = action.ToString();
            containers.MapPost("/{reference}/" + name.ToLowerInvariant(), (string reference, string? signal, int? timeout, HttpContext context, ContainerService service, CancellationToken cancellationToken) =>
                    ActAsync(action, reference, signal, timeout, context, service, cancellationToken))
                .WithName(name + "Container")
                .WithSummary(action switch
                {
                    ContainerAction.Kill => "Send a signal (signal=SIGKILL by default) to the container.",
                    ContainerAction.Stop or ContainerAction.Restart => $"{name} the container; timeout=seconds to wait before SIGKILL. Answers changed=false when it already was in that state.",
                    _ => $"{name} the container. Answers changed=false when it already was in that state.",
                });
        }

        containers.MapDelete("/{reference}", RemoveAsync).WithName("RemoveContainer")
            .WithSummary("Remove the container; force=true also removes a running one, volumes=true its anonymous volumes.");
    }

    private static async Task<IResult> ListAsync(
        bool? all, string? name, string? image, string[]? label, string? node, string? status, bool? system, string? sort, string? order,
        HttpContext context, ContainerInventory inventory, CancellationToken cancellationToken)
    {
        var query = new ContainerQuery(all ?? false, name, image, label, node, status, system ?? false, sort, order);
        return Results.Ok(await inventory.ListAsync(context.GetPrincipal(), query, cancellationToken));
    }

    private static async Task<IResult> InspectAsync(string reference, HttpContext context, ContainerService containers, CancellationToken cancellationToken) =>
        Results.Ok(await containers.InspectAsync(context.GetPrincipal(), reference, cancellationToken));

    private static async Task<IResult> ActAsync(
        ContainerAction action, string reference, string? signal, int? timeout, HttpContext context, ContainerService containers, CancellationToken cancellationToken)
    {
        var wait = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return Results.Ok(await containers.ActAsync(Caller.Of(context), reference, action, signal, wait, cancellationToken));
    }

    private static async Task<IResult> RemoveAsync(string reference, bool? force, bool? volumes, HttpContext context, ContainerService containers, CancellationToken cancellationToken)
    {
        await containers.RemoveAsync(Caller.Of(context), reference, force ?? false, volumes ?? false, cancellationToken);
        return Results.NoContent();
    }
}
