using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary>
/// The fields of one <c>GET containers/{id}/stats</c> document that <see cref="StatsCalculator"/> uses (snake_case on
/// the wire). <c>networks</c> is absent with host or none networking; <c>blkio_stats</c> lists are null when empty.
/// </summary>
internal sealed record StatsDocument(
    [property: JsonPropertyName("read")] DateTimeOffset Read,
    [property: JsonPropertyName("cpu_stats")] CpuStats? CpuStats,
    [property: JsonPropertyName("precpu_stats")] CpuStats? PreCpuStats,
    [property: JsonPropertyName("memory_stats")] MemoryStats? MemoryStats,
    [property: JsonPropertyName("networks")] Dictionary<string, NetworkStats>? Networks,
    [property: JsonPropertyName("blkio_stats")] BlkioStats? BlkioStats,
    [property: JsonPropertyName("pids_stats")] PidsStats? PidsStats);
