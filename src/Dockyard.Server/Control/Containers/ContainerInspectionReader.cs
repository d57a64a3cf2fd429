using System.Globalization;
using System.Text.Json;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// Builds a <see cref="ContainerInspection"/> from the engine's inspect document. The typed facade reads the fields
/// every feature needs; the rest of the view (networks, environment, ports, restart policy, health) is read here from
/// the same document, leniently: a field an engine version leaves out is shown empty, never an error.
/// </summary>
internal static class ContainerInspectionReader
{
    public static ContainerInspection Read(ContainerTarget target, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        var details = target.Details;
        var config = Child(root, "Config");
        var host = Child(root, "HostConfig");
        var state = Child(root, "State");
        return new ContainerInspection(
            target.Id,
            target.Name,
            target.Engine.Name,
            target.Engine.NodeId,
            target.Collection.Value,
            details.Created,
            details.Config.Image,
            details.ImageId,
            new ContainerStateView(
                details.State.Status,
                details.State.Running,
                details.State.Paused,
                details.State.Restarting,
                details.State.OomKilled,
                details.State.Dead,
                details.State.Pid,
                details.State.ExitCode,
                string.IsNullOrEmpty(details.State.Error) ? null : details.State.Error,
                Time(details.State.StartedAt),
                Time(details.State.FinishedAt),
                Text(Child(state, "Health"), "Status")),
            new ContainerConfigView(
                Strings(config, "Entrypoint"),
                Strings(config, "Cmd"),
                Strings(config, "Env"),
                NullIfEmpty(Text(config, "WorkingDir")),
                NullIfEmpty(Text(config, "User")),
                details.Config.Hostname,
                details.Config.Tty,
                Keys(config, "ExposedPorts")),
            new ContainerHostView(
                details.HostConfig.NetworkMode,
                details.HostConfig.Privileged,
                details.HostConfig.CapAdd ?? [],
                details.HostConfig.Binds ?? [],
                Ports(host),
                RestartPolicy(host),
                Child(host, "ReadonlyRootfs") is { ValueKind: JsonValueKind.True }),
            [.. details.Mounts.Select(m => new ContainerMountView(m.Type, m.Name, m.Source, m.Destination, m.Mode, m.Rw))],
            Networks(root),
            details.Config.Labels ?? new Dictionary<string, string>(),
            root);
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static List<string> Strings(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    private static List<string> Keys(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.Object } map ? [.. map.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)] : [];

    /// <summary>Docker's zero time (never started) is no time.</summary>
    private static DateTimeOffset? Time(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.Year > 1 ? time : null;

    private static string? RestartPolicy(JsonElement host)
    {
        var policy = Child(host, "RestartPolicy");
        var name = Text(policy, "Name");
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        return Child(policy, "MaximumRetryCount") is { ValueKind: JsonValueKind.Number } retries && retries.GetInt32() > 0 ? $"{name}:{retries.GetInt32()}" : name;
    }

    private static List<string> Ports(JsonElement host)
    {
        var ports = new List<string>();
        if (Child(host, "PortBindings") is not { ValueKind: JsonValueKind.Object } bindings)
        {
            return ports;
        }

        foreach (var port in bindings.EnumerateObject())
        {
            if (port.Value.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var binding in port.Value.EnumerateArray())
            {
                var address = Text(binding, "HostIp") is { Length: > 0 } ip ? ip : "0.0.0.0";
                ports.Add($"{port.Name} -> {address}:{Text(binding, "HostPort")}");
            }
        }

        return ports;
    }

    private static List<ContainerNetworkView> Networks(JsonElement root)
    {
        if (Child(Child(root, "NetworkSettings"), "Networks") is not { ValueKind: JsonValueKind.Object } networks)
        {
            return [];
        }

        return [.. networks.EnumerateObject().Select(n => new ContainerNetworkView(
            n.Name,
            NullIfEmpty(Text(n.Value, "IPAddress")),
            NullIfEmpty(Text(n.Value, "Gateway")),
            NullIfEmpty(Text(n.Value, "MacAddress"))))];
    }
}
