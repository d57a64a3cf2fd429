using System.Text.Json.Serialization;

namespace Dockyard.Control.Events;

/// <summary>Source-generated JSON for the event stream and its filter parameter.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(EngineEventWire))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
