using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Control.Images;
using Dockyard.Server.Access;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Control.Nodes;

/// <summary>
/// What runs on a node, asked of that node's own engine (a manager cannot list another node's containers): the
/// containers the caller may see (<see cref="Operation.ContainerView"/> in their collections; system containers left
/// out) and the images they run with their registry digests. A node without a reachable engine, or whose engine
/// fails, gets a message instead — the node page still works.
/// </summary>
internal sealed class NodeWorkloads(EngineRegistry registry, CollectionDecisions decisions)
{
    public async Task<(IReadOnlyList<NodeContainerView> Containers, IReadOnlyList<NodeImageView> Images, string? Message)> ReadAsync(
        Principal principal, string nodeId, string hostname, CancellationToken cancellationToken)
    {
        if (registry.GetForNode(nodeId) is not { } engine)
        {
            return ([], [], $"No reachable Dockyard engine is configured for node {hostname} ({nodeId}): add its engine to see the containers and images on it.");
        }

        IReadOnlyList<ContainerSummary> containers;
        IReadOnlyList<ImageSummary> images;
        try
        {
            var listing = new ContainerClient(engine).ListAsync(new ContainerListOptions(All: true), cancellationToken);
            var imageListing = new ImageClient(engine).ListAsync(false, null, cancellationToken);
            containers = await listing;
            images = await imageListing;
        }
        catch (EngineApiException error)
        {
            return ([], [], $"The containers on this node could not be read: {error.Message}");
        }

        var visible = containers.Where(c => !ControlLabels.IsSystem(c.Labels)).ToList();
        var allowed = await decisions.AllowedAsync(principal, Operation.ContainerView, ResourceKind.Container, visible.Select(c => ControlLabels.CollectionOf(c.Labels)), cancellationToken);
        visible = [.. visible.Where(c => allowed.Contains(ControlLabels.CollectionOf(c.Labels)))];

        var imageById = images.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var views = visible
            .Select(c => new NodeContainerView(
                c.Id,
                c.Names.Count > 0 ? c.Names[0].TrimStart('/') : c.Id[..Math.Min(12, c.Id.Length)],
                c.Image,
                c.ImageId,
                imageById.TryGetValue(c.ImageId, out var image) ? image.RepoDigests ?? [] : [],
                c.State,
                c.Status,
                ControlLabels.CollectionOf(c.Labels).Value))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var used = views
            .GroupBy(c => c.ImageId, StringComparer.Ordinal)
            .Select(g => imageById.TryGetValue(g.Key, out var image)
                ? new NodeImageView(g.Key, image.RepoTags ?? [], image.RepoDigests ?? [], [.. g.Select(c => c.Name)])
                : new NodeImageView(g.Key, [], [], [.. g.Select(c => c.Name)]))
            .OrderBy(i => i.Tags.FirstOrDefault() ?? i.Id, StringComparer.Ordinal)
            .ToList();
        return (views, used, null);
    }
}
