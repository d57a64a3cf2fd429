namespace Dockyard.Control.Engines;

/// <summary>dockerd's error body: <c>{"message":"…"}</c>.</summary>
internal sealed record EngineErrorBody(string? Message);
