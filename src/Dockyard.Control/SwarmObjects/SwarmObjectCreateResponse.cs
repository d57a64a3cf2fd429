using System.Text.Json.Serialization;

namespace Dockyard.Control.SwarmObjects;

/// <summary>What <c>secrets/create</c> and <c>configs/create</c> answer.</summary>
internal sealed record SwarmObjectCreateResponse([property: JsonPropertyName("ID")] string? Id);
