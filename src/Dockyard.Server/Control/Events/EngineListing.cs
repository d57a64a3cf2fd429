using System.Text.Json.Nodes;
using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Control.Nodes;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Reads an engine's full state for a reconcile: every container (<c>all=true</c>) and, on a manager, every service
/// and node — what the consumer compares with its last known state after a gap. Also looks up one service's or
/// node's labels for events that do not carry them.
/// </summary>
internal static class EngineListing
{
    public static async Task<KnownObjects> ReadAsync(EngineClient client, bool isManager, CancellationToken cancellationToken)
    {
        var known = new KnownObjects();
        foreach (var container in await new ContainerClient(client).ListAsync(new ContainerListOptions(All: true), cancellationToken))
        {
            var attributes = new Dictionary<string, string>(container.Labels, StringComparer.Ordinal);
            var name = container.Names.FirstOrDefault()?.TrimStart('/');
            if (name is not null)
            {
                attributes["name"] = name;
            }

            attributes["image"] = container.Image;
            known.Set(new KnownObject("container", container.Id, name, ContainerStatus(container.State), null, attributes));
        }

        if (isManager)
        {
            foreach (var service in await client.GetAsync("services", EventsJsonContext.Default.JsonArray, cancellationToken))
            {
                if (service is JsonObject body && ServiceOf(body) is { } known1)
                {
                    known.Set(known1);
                }
            }

            foreach (var node in await new NodeClient(client).ListAsync(null, cancellationToken))
            {
                known.Set(NodeOf(node));
            }
        }

        return known;
    }

    /// <summary>The service as an object with its labels (null when it is gone).</summary>
    public static async Task<KnownObject?> ServiceAsync(EngineClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            var body = await client.GetAsync("services/" + Uri.EscapeDataString(id), EventsJsonContext.Default.JsonObject, cancellationToken);
            return ServiceOf(body);
        }
        catch (EngineApiException error) when (error.Kind is EngineErrorKind.NotFound or EngineErrorKind.NotManager)
        {
            return null;
        }
    }

    public static async Task<KnownObject?> NodeAsync(EngineClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            return NodeOf(await new NodeClient(client).InspectAsync(id, cancellationToken));
        }
        catch (EngineApiException error) when (error.Kind is EngineErrorKind.NotFound or EngineErrorKind.NotManager)
        {
            return null;
        }
    }

    /// <summary>The states a reconcile tells apart: running, paused, or stopped (created, exited, dead, …).</summary>
    public static string ContainerStatus(string state) => state switch
    {
        "running" or "restarting" => "running",
        "paused" => "paused",
        _ => "stopped",
    };

    private static KnownObject? ServiceOf(JsonObject body)
    {
        var id = body["ID"]?.GetValue<string>();
        if (id is null)
        {
            return null;
        }

        var spec = body["Spec"] as JsonObject;
        var name = spec?["Name"]?.GetValue<string>();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec?["Labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (value is JsonValue text && text.TryGetValue<string>(out var s))
                {
                    attributes[key] = s;
                }
            }
        }

        if (name is not null)
        {
            attributes["name"] = name;
        }

        var version = body["Version"]?["Index"]?.GetValue<long>();
        return new KnownObject("service", id, name, "present", version, attributes);
    }

    private static KnownObject NodeOf(NodeSummary node)
    {
        var attributes = new Dictionary<string, string>(node.Labels, StringComparer.Ordinal) { ["name"] = node.Hostname };
        return new KnownObject("node", node.Id, node.Hostname, node.State, node.Version, attributes);
    }
}
