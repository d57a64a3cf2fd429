using System.Text.Json.Serialization;

namespace Dockyard.Control.Networks;

/// <summary>Source-generated JSON for the Networks folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<NetworkDocument>))]
[JsonSerializable(typeof(NetworkCreateResponse))]
internal sealed partial class NetworkJsonContext : JsonSerializerContext;
