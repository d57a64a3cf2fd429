using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary><c>blkio_stats</c>: only <c>io_service_bytes_recursive</c> is used (ops "Read"/"Write" on v1, "read"/"write" on v2).</summary>
internal sealed record BlkioStats(
    [property: JsonPropertyName("io_service_bytes_recursive")] BlkioEntry[]? IoServiceBytesRecursive);
