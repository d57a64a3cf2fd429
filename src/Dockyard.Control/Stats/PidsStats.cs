using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary><c>pids_stats</c>: processes and threads in the container.</summary>
internal sealed record PidsStats(
    [property: JsonPropertyName("current")] ulong? Current);
