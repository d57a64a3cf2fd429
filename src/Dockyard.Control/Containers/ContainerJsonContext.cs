using System.Text.Json.Serialization;

namespace Dockyard.Control.Containers;

/// <summary>Source-generated JSON for the Containers folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerDetails))]
internal sealed partial class ContainerJsonContext : JsonSerializerContext;
