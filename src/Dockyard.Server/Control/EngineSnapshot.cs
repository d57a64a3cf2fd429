namespace Dockyard.Server.Control;

/// <summary>An engine and its last known status, as read at one moment.</summary>
internal sealed record EngineSnapshot(EngineDefinition Definition, EngineStatus Status);
