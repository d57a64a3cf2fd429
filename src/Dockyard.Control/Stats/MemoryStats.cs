using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary>
/// <c>memory_stats</c>: <c>stats</c> holds the cgroup's memory.stat counters (<c>total_inactive_file</c> on cgroup v1,
/// <c>inactive_file</c> on cgroup v2).
/// </summary>
internal sealed record MemoryStats(
    [property: JsonPropertyName("usage")] ulong Usage,
    [property: JsonPropertyName("limit")] ulong Limit,
    [property: JsonPropertyName("stats")] Dictionary<string, ulong>? Stats);
