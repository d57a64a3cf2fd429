namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>
/// One sum of a stack's resources; <paramref name="Complete"/> when every counted container already has a CPU figure
/// (the engine's first sample of a stream has none), which is what a one-shot read waits for.
/// </summary>
internal sealed record StackStatsSample(StackStatsView View, bool Complete);
