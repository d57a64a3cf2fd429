using System.Text.Json.Serialization;

namespace Dockyard.Control.Swarm;

/// <summary>Source-generated JSON for the Swarm folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SwarmInfo))]
internal sealed partial class SwarmJsonContext : JsonSerializerContext;
