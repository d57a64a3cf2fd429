using System.Text.Json.Serialization;

namespace Dockyard.Control.Tasks;

/// <summary>Source-generated JSON for the Tasks folder's documents.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<TaskDocument>))]
internal sealed partial class TaskJsonContext : JsonSerializerContext;
