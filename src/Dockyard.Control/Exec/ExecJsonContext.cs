using System.Text.Json.Serialization;

namespace Dockyard.Control.Exec;

/// <summary>Source-generated JSON for the exec endpoints (PascalCase on the wire, as the record properties).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecCreateResponse))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspectResponse))]
internal sealed partial class ExecJsonContext : JsonSerializerContext;
