using System.Text.Json.Serialization;

namespace Dockyard.Control.Nodes;

/// <summary>Source-generated JSON for the Nodes folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NodeDocument))]
[JsonSerializable(typeof(List<NodeDocument>))]
internal sealed partial class NodeJsonContext : JsonSerializerContext;
