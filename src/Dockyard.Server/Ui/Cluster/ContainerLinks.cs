using Dockyard.Server.Control.Containers;

namespace Dockyard.Server.Ui.Cluster;

/// <summary>Links and labels the container pages share: list URLs that keep the filters, state badges.</summary>
internal static class ContainerLinks
{
    public static string Detail(string reference) => "/containers/" + Uri.EscapeDataString(reference);

    /// <summary>The list URL for <paramref name="query"/> (only the parameters that differ from the defaults).</summary>
    public static string List(ContainerQuery query)
    {
        var parts = new List<string>();
        Add(parts, "all", query.All ? "true" : null);
        Add(parts, "name", query.Name);
        Add(parts, "image", query.Image);
        Add(parts, "label", query.Labels is [var label, ..] ? label : null);
        Add(parts, "node", query.Node);
        Add(parts, "status", query.Status);
        Add(parts, "system", query.System ? "true" : null);
        Add(parts, "sort", query.Sort);
        Add(parts, "order", query.Order);
        return parts.Count == 0 ? "/containers" : "/containers?" + string.Join('&', parts);
    }

    /// <summary>The list sorted by <paramref name="key"/>; the current key flips the order.</summary>
    public static string SortBy(ContainerQuery query, string key)
    {
        var order = query.SortKey == key ? (query.Descending ? "asc" : "desc") : null;
        return List(query with { Sort = key, Order = order });
    }

    /// <summary>The badge class of a container state.</summary>
    public static string StateBadge(string state) => state switch
    {
        "running" => "badge state-running",
        "paused" => "badge state-paused",
        "restarting" => "badge state-paused",
        "exited" or "dead" => "badge state-stopped",
        _ => "badge",
    };

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
