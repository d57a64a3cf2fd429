using System.Text.Json.Serialization;

namespace Dockyard.Control.SwarmObjects;

/// <summary>Source-generated JSON for the SwarmObjects folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<SwarmObjectDocument>))]
[JsonSerializable(typeof(SwarmObjectCreateResponse))]
internal sealed partial class SwarmObjectJsonContext : JsonSerializerContext;
