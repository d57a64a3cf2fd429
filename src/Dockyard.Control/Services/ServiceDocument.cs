using System.Text.Json.Serialization;

namespace Dockyard.Control.Services;

/// <summary>The engine's service object, only the fields <see cref="ServiceSummary"/> is built from.</summary>
internal sealed record ServiceDocument([property: JsonPropertyName("ID")] string Id, ServiceDocument.SpecPart? Spec)
{
    internal sealed record SpecPart(string? Name, Dictionary<string, string>? Labels, TaskTemplatePart? TaskTemplate);

    internal sealed record TaskTemplatePart(ContainerSpecPart? ContainerSpec);

    internal sealed record ContainerSpecPart(string? Image);

    public ServiceSummary ToSummary() => new()
    {
        Id = Id,
        Name = Spec?.Name ?? string.Empty,
        Image = Spec?.TaskTemplate?.ContainerSpec?.Image ?? string.Empty,
        Labels = Spec?.Labels ?? [],
    };
}
