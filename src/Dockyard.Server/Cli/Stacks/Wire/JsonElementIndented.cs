using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>Indented JSON of the server's own answer, for <c>--format json</c>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class JsonElementIndented : JsonSerializerContext;
