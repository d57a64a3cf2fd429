using System.Text.Json.Serialization;

namespace Dockyard.Control.Logs;

/// <summary>Source-generated JSON for the inspect fragments the logs client reads.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TtyContainerInspect))]
[JsonSerializable(typeof(TtyServiceInspect))]
internal sealed partial class LogsJsonContext : JsonSerializerContext;
