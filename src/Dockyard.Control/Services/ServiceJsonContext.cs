using System.Text.Json.Serialization;

namespace Dockyard.Control.Services;

/// <summary>Source-generated JSON for the Services folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServiceDocument))]
[JsonSerializable(typeof(List<ServiceDocument>))]
[JsonSerializable(typeof(ServiceWriteResponse))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
