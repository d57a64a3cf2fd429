using System.Text.Json.Serialization;

namespace Dockyard.Control.Engines;

/// <summary>
/// Source-generated JSON for the engine channel itself. Each feature folder (Nodes, Containers, Logs, …) keeps its
/// own context for its own types, so folders do not edit one shared list. The engine API uses PascalCase names
/// (matched case-insensitively), except a few snake_case documents (stats) that map names explicitly.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EngineErrorBody))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
