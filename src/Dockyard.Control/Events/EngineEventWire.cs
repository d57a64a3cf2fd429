namespace Dockyard.Control.Events;

/// <summary>One line of <c>GET events</c> as the engine writes it (legacy <c>status</c>/<c>id</c>/<c>from</c> are not read).</summary>
internal sealed record EngineEventWire(string? Type, string? Action, EngineEventActorWire? Actor, string? Scope, long Time, long TimeNano);
