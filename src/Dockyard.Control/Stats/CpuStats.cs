using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary><c>cpu_stats</c> / <c>precpu_stats</c>: container and host CPU time in nanoseconds.</summary>
internal sealed record CpuStats(
    [property: JsonPropertyName("cpu_usage")] CpuUsage? CpuUsage,
    [property: JsonPropertyName("system_cpu_usage")] ulong SystemCpuUsage,
    [property: JsonPropertyName("online_cpus")] uint OnlineCpus);
