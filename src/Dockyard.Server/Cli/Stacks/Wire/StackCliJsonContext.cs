using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>Source-generated JSON for the stack verbs' requests and answers (camelCase, as /api/v1 writes it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(StackListWire))]
[JsonSerializable(typeof(StackDetailWire))]
[JsonSerializable(typeof(StackTaskListWire))]
[JsonSerializable(typeof(StackDeployWire))]
[JsonSerializable(typeof(ProblemWire))]
internal sealed partial class StackCliJsonContext : JsonSerializerContext;
