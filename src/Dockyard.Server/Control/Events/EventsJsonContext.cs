using System.Text.Json.Serialization;

namespace Dockyard.Server.Control.Events;

/// <summary>Source-generated JSON for stored attributes and the consumer's checkpoint state.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(EventView))]
[JsonSerializable(typeof(KnownObjects))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonArray))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
