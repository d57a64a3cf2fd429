namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>
/// A stack's live resources: the sum over its running task containers, each read on the engine of its node from the
/// latest sample of the container's shared stats stream, with the per-service breakdown.
/// </summary>
/// <param name="Time">When the sum was made.</param>
/// <param name="CpuPercent">In percent of one CPU (200 = two busy CPUs); null until some container has a CPU figure.</param>
/// <param name="MemoryUsed">Bytes in use.</param>
/// <param name="Services">Every service of the stack, also those with no running task.</param>
/// <param name="Warnings">What is not counted and why (a node without a reachable engine, a stream that failed).</param>
internal sealed record StackStatsView(
    DateTimeOffset Time,
    double? CpuPercent,
    ulong MemoryUsed,
    IReadOnlyList<StackServiceStatsView> Services,
    IReadOnlyList<string> Warnings);
