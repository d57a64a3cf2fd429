using System.Text.Json.Serialization;

namespace Dockyard.Control.Services;

/// <summary>
/// What <c>services/create</c> and <c>services/{id}/update</c> answer: the id (create only) and warnings such as
/// "image could not be accessed on a registry to record its digest". API 1.41 documents a single <c>Warning</c>
/// while dockerd sends <c>Warnings</c>; both are read.
/// </summary>
internal sealed record ServiceWriteResponse(
    [property: JsonPropertyName("ID")] string? Id,
    List<string>? Warnings,
    string? Warning)
{
    public IEnumerable<string> AllWarnings =>
        (Warnings ?? []).Append(Warning ?? string.Empty).Where(warning => !string.IsNullOrWhiteSpace(warning));
}
