namespace Dockyard.Server.Control.Events;

/// <summary>The object an event is about: its id, name (container or service name, node hostname) and attributes.</summary>
internal sealed record EventActorView(string Id, string? Name, IReadOnlyDictionary<string, string> Attributes);
