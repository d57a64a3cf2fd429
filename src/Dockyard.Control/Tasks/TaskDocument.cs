using System.Text.Json.Serialization;

namespace Dockyard.Control.Tasks;

/// <summary>The engine's task object, only the fields <see cref="TaskSummary"/> is built from.</summary>
internal sealed record TaskDocument(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("ServiceID")] string? ServiceId,
    long? Slot,
    [property: JsonPropertyName("NodeID")] string? NodeId,
    string? DesiredState,
    TaskDocument.StatusPart? Status,
    TaskDocument.SpecPart? Spec,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt)
{
    internal sealed record StatusPart(string? State, string? Message, string? Err, ContainerStatusPart? ContainerStatus);

    internal sealed record ContainerStatusPart([property: JsonPropertyName("ContainerID")] string? ContainerId);

    internal sealed record SpecPart(ContainerSpecPart? ContainerSpec);

    internal sealed record ContainerSpecPart(string? Image);

    public TaskSummary ToSummary() => new()
    {
        Id = Id,
        ServiceId = ServiceId ?? string.Empty,
        // Global tasks have no slot; the engine leaves it out (or 0).
        Slot = Slot is > 0 ? Slot : null,
        NodeId = NullIfEmpty(NodeId),
        DesiredState = DesiredState ?? string.Empty,
        State = Status?.State ?? string.Empty,
        Message = NullIfEmpty(Status?.Message),
        Error = NullIfEmpty(Status?.Err),
        ContainerId = NullIfEmpty(Status?.ContainerStatus?.ContainerId),
        Image = Spec?.ContainerSpec?.Image ?? string.Empty,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
