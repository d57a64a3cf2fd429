using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Server.Cli.Signing;

/// <summary>Source-generated JSON of <c>dockyard sign</c> (camelCase, as /api/v1 writes it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignatureWire))]
[JsonSerializable(typeof(SignRequestWire))]
internal sealed partial class SignCliJsonContext : JsonSerializerContext;
