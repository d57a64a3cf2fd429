namespace Dockyard.Control.Compose;

/// <summary><c>deploy.resources.limits</c> or <c>reservations</c>: CPUs in billionths, memory in bytes, process count.</summary>
public sealed record ComposeResourceSpec(long? NanoCpus, long? MemoryBytes, long? Pids);
