using System.Text.Json.Serialization;

namespace Dockyard.Control.Nodes;

/// <summary>The engine's node object, only the fields <see cref="NodeSummary"/> is built from.</summary>
internal sealed record NodeDocument(
    [property: JsonPropertyName("ID")] string Id,
    NodeDocument.VersionPart? Version,
    NodeDocument.SpecPart? Spec,
    NodeDocument.DescriptionPart? Description,
    NodeDocument.StatusPart? Status,
    NodeDocument.ManagerPart? ManagerStatus)
{
    internal sealed record VersionPart(long Index);

    internal sealed record SpecPart(string? Name, Dictionary<string, string>? Labels, string? Role, string? Availability);

    internal sealed record DescriptionPart(string? Hostname, PlatformPart? Platform, ResourcesPart? Resources, EnginePart? Engine);

    internal sealed record PlatformPart(string? Architecture, [property: JsonPropertyName("OS")] string? Os);

    internal sealed record ResourcesPart([property: JsonPropertyName("NanoCPUs")] long NanoCpus, long MemoryBytes);

    internal sealed record EnginePart(string? EngineVersion, Dictionary<string, string>? Labels);

    internal sealed record StatusPart(string? State, string? Message, string? Addr);

    internal sealed record ManagerPart(bool Leader, string? Reachability, string? Addr);

    public NodeSummary ToSummary() => new()
    {
        Id = Id,
        Version = Version?.Index ?? 0,
        Name = Spec?.Name ?? string.Empty,
        Hostname = Description?.Hostname ?? string.Empty,
        Role = Spec?.Role ?? string.Empty,
        Availability = Spec?.Availability ?? string.Empty,
        State = Status?.State ?? string.Empty,
        StatusMessage = Status?.Message ?? string.Empty,
        Address = Status?.Addr ?? string.Empty,
        Manager = ManagerStatus is { } manager ? new NodeManagerStatus(manager.Leader, manager.Reachability ?? string.Empty, manager.Addr ?? string.Empty) : null,
        EngineVersion = Description?.Engine?.EngineVersion ?? string.Empty,
        Os = Description?.Platform?.Os ?? string.Empty,
        Architecture = Description?.Platform?.Architecture ?? string.Empty,
        NanoCpus = Description?.Resources?.NanoCpus ?? 0,
        MemoryBytes = Description?.Resources?.MemoryBytes ?? 0,
        EngineLabels = Description?.Engine?.Labels ?? [],
        Labels = Spec?.Labels ?? [],
    };
}
