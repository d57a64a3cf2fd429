using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Control.Services;

/// <summary>The engine's service object, only the fields <see cref="ServiceSummary"/> and <see cref="ServiceDetails"/> read.</summary>
internal sealed record ServiceDocument(
    [property: JsonPropertyName("ID")] string Id,
    ServiceDocument.VersionPart? Version,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    ServiceDocument.SpecPart? Spec,
    ServiceDocument.UpdateStatusPart? UpdateStatus,
    ServiceDocument.ServiceStatusPart? ServiceStatus)
{
    internal sealed record VersionPart(long Index);

    /// <summary><c>Mode</c> is an object with one key: Replicated, Global, ReplicatedJob or GlobalJob.</summary>
    internal sealed record SpecPart(string? Name, Dictionary<string, string>? Labels, TaskTemplatePart? TaskTemplate, Dictionary<string, JsonElement>? Mode);

    internal sealed record TaskTemplatePart(ContainerSpecPart? ContainerSpec);

    internal sealed record ContainerSpecPart(string? Image);

    internal sealed record UpdateStatusPart(string? State, string? Message);

    internal sealed record ServiceStatusPart(long RunningTasks, long DesiredTasks);

    /// <summary>The mode as the docker CLI names it: replicated, global, replicated-job, global-job.</summary>
    public string ModeName => Spec?.Mode?.Keys.FirstOrDefault() switch
    {
        null => string.Empty,
        "ReplicatedJob" => "replicated-job",
        "GlobalJob" => "global-job",
        var other => other.ToLowerInvariant(),
    };

    public long? Replicas =>
        Spec?.Mode is { } mode && mode.TryGetValue("Replicated", out var replicated) && replicated.ValueKind == JsonValueKind.Object
            && replicated.TryGetProperty("Replicas", out var replicas) && replicas.ValueKind == JsonValueKind.Number
            ? replicas.GetInt64()
            : null;

    public ServiceSummary ToSummary() => new()
    {
        Id = Id,
        Name = Spec?.Name ?? string.Empty,
        Image = Spec?.TaskTemplate?.ContainerSpec?.Image ?? string.Empty,
        Labels = Spec?.Labels ?? [],
        Mode = ModeName,
        Replicas = Replicas,
        RunningTasks = ServiceStatus?.RunningTasks ?? 0,
        DesiredTasks = ServiceStatus?.DesiredTasks ?? 0,
        UpdateState = NullIfEmpty(UpdateStatus?.State),
        UpdatedAt = UpdatedAt,
    };

    internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
