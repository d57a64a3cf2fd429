using System.Text.Json.Serialization;

namespace Dockyard.Control.Services;

/// <summary>Source-generated JSON for the Services folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ServiceDocument>))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
