using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary><c>cpu_stats.cpu_usage</c>; <c>percpu_usage</c> is only sent on cgroup v1.</summary>
internal sealed record CpuUsage(
    [property: JsonPropertyName("total_usage")] ulong TotalUsage,
    [property: JsonPropertyName("percpu_usage")] ulong[]? PercpuUsage);
