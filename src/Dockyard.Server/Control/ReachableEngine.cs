using Dockyard.Control.Engines;

namespace Dockyard.Server.Control;

/// <summary>An engine that answered its last probe, with its client and where it sits in the swarm.</summary>
internal sealed record ReachableEngine(string Name, EngineClient Client, string? NodeId, bool IsManager);
