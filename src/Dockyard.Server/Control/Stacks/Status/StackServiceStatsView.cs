namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>One service's share of a stack's resources.</summary>
/// <param name="Name">The service's full name (<c>&lt;stack&gt;_&lt;name&gt;</c>).</param>
/// <param name="CpuPercent">Sum over its running task containers, in percent of one CPU; null until a container has a CPU figure.</param>
/// <param name="MemoryUsed">Sum of the containers' memory in use (bytes, without page cache).</param>
/// <param name="Tasks">Running task containers counted.</param>
internal sealed record StackServiceStatsView(string Name, double? CpuPercent, ulong MemoryUsed, int Tasks);
