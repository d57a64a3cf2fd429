using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary>One device/op counter of <c>blkio_stats</c>.</summary>
internal sealed record BlkioEntry(
    [property: JsonPropertyName("op")] string? Op,
    [property: JsonPropertyName("value")] ulong Value);
