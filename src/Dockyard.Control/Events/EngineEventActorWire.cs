namespace Dockyard.Control.Events;

/// <summary><c>Actor</c> of an event line: <c>{"ID":…,"Attributes":{…}}</c>.</summary>
internal sealed record EngineEventActorWire(string? Id, Dictionary<string, string>? Attributes);
