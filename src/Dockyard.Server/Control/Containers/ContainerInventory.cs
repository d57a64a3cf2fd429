using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Server.Access;
using Dockyard.Server.Access.Collections;
using Dockyard.Server.Control.Access;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// <c>docker ps</c> across every engine: all engines are asked at once (one list call each, with the filters the
/// engine can apply: name, label, status), each container is tagged with its engine and node, and the caller sees
/// the containers of the collections where they hold <see cref="Operation.ContainerView"/> — one decision per
/// distinct collection, no call per container, so 500 containers cost what a handful do. An engine that is down,
/// not probed yet or failing becomes a warning; the others are listed. System containers (<see cref="ControlLabels.IsSystem"/>)
/// and Dockyard's own container (<see cref="DockyardSelf"/>) are left out unless asked for.
/// </summary>
internal sealed partial class ContainerInventory(EngineRegistry registry, CollectionDecisions decisions, ILogger<ContainerInventory> logger)
{
    public async Task<ContainerList> ListAsync(Principal principal, ContainerQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        await registry.EnsureLoadedAsync(cancellationToken);
        var engines = registry.List().Where(e => MatchesNode(e, query.Node)).ToList();
        var reachable = registry.Reachable().ToDictionary(e => e.Name, StringComparer.Ordinal);
        var warnings = new List<string>();
        var asked = new List<ReachableEngine>();
        foreach (var engine in engines)
        {
            if (reachable.TryGetValue(engine.Definition.Name, out var client))
            {
                asked.Add(client);
            }
            else
            {
                warnings.Add(engine.Status.Message ?? $"engine {engine.Definition.Name}: {(engine.Status.State == EngineState.Unknown ? "not checked yet" : "not reachable")}");
            }
        }

        var options = new ContainerListOptions(query.All || !string.IsNullOrEmpty(query.Status), EngineFiltersOf(query));
        var answers = await Task.WhenAll(asked.Select(engine => ListOneAsync(engine, options, cancellationToken)));
        var candidates = new List<ContainerListItem>();
        foreach (var (engine, containers, failure) in answers)
        {
            if (failure is not null)
            {
                warnings.Add(failure);
                continue;
            }

            foreach (var container in containers)
            {
                if (!query.System && (ControlLabels.IsSystem(container.Labels) || DockyardSelf.Is(container.Id)))
                {
                    continue;
                }

                if (!MatchesImage(container, query.Image))
                {
                    continue;
                }

                candidates.Add(ToItem(engine, container));
            }
        }

        // Two engine entries for one daemon would list its containers twice.
        var unique = candidates.DistinctBy(c => c.Id).ToList();
        var visible = await decisions.AllowedAsync(
            principal, Operation.ContainerView, ResourceKind.Container, unique.Select(c => CollectionPath.Parse(c.Collection)), cancellationToken);
        var hosts = engines.ToDictionary(e => e.Definition.Name, e => e.Status.Info?.Name ?? e.Definition.Name, StringComparer.Ordinal);
        var items = Sort(unique.Where(c => visible.Contains(CollectionPath.Parse(c.Collection))), query, hosts);
        return new ContainerList(items, warnings);
    }

    private async Task<(ReachableEngine Engine, IReadOnlyList<ContainerSummary> Containers, string? Failure)> ListOneAsync(
        ReachableEngine engine, ContainerListOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return (engine, await new ContainerClient(engine.Client).ListAsync(options, cancellationToken), null);
        }
        catch (EngineApiException error)
        {
            LogListFailed(engine.Name, error.Message);
            return (engine, [], error.Message);
        }
        catch (ObjectDisposedException)
        {
            // Removed while we asked it: it is no longer one of the engines.
            return (engine, [], null);
        }
    }

    private static EngineFilters? EngineFiltersOf(ContainerQuery query)
    {
        var filters = new EngineFilters();
        if (!string.IsNullOrEmpty(query.Name))
        {
            // The engine matches names as a regular expression; '.' is the only character of a valid filter with a meaning there.
            filters.Add("name", query.Name.Replace(".", "\\.", StringComparison.Ordinal));
        }

        foreach (var label in query.Labels ?? [])
        {
            filters.Add("label", label);
        }

        if (!string.IsNullOrEmpty(query.Status))
        {
            filters.Add("status", query.Status);
        }

        return filters.IsEmpty ? null : filters;
    }

    private static bool MatchesNode(EngineSnapshot engine, string? node) =>
        string.IsNullOrEmpty(node)
        || engine.Definition.Name == node
        || (engine.Status.NodeId is { } id && (id == node || (node.Length >= 4 && id.StartsWith(node, StringComparison.Ordinal))))
        || string.Equals(engine.Status.Info?.Name, node, StringComparison.OrdinalIgnoreCase);

    private static bool MatchesImage(ContainerSummary container, string? image) =>
        string.IsNullOrEmpty(image)
        || container.Image.Contains(image, StringComparison.OrdinalIgnoreCase)
        || (image.StartsWith("sha256:", StringComparison.Ordinal) && container.ImageId.StartsWith(image, StringComparison.Ordinal));

    private static ContainerListItem ToItem(ReachableEngine engine, ContainerSummary container) => new(
        container.Id,
        container.Names.Count > 0 ? container.Names[0].TrimStart('/') : container.Id[..Math.Min(12, container.Id.Length)],
        container.Image,
        container.ImageId,
        container.Command,
        DateTimeOffset.FromUnixTimeSeconds(container.Created),
        container.State,
        container.Status,
        engine.Name,
        engine.NodeId,
        ControlLabels.CollectionOf(container.Labels).Value,
        container.Labels);

    private static List<ContainerListItem> Sort(IEnumerable<ContainerListItem> items, ContainerQuery query, IReadOnlyDictionary<string, string> hosts)
    {
        Func<ContainerListItem, IComparable> key = query.SortKey switch
        {
            "name" => c => c.Name.ToUpperInvariant(),
            "image" => c => c.Image.ToUpperInvariant(),
            "state" => c => c.State,
            "node" => c => hosts.GetValueOrDefault(c.Engine, c.Engine).ToUpperInvariant(),
            _ => c => c.Created,
        };
        var ordered = query.Descending ? items.OrderByDescending(key) : items.OrderBy(key);
        return [.. ordered.ThenBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }

    [LoggerMessage(EventId = 4570, Level = LogLevel.Warning, Message = "Listing containers on engine {Engine} failed: {Reason}")]
    private partial void LogListFailed(string engine, string reason);
}
