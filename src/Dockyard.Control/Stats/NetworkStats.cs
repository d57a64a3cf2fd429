using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary>One interface of <c>networks</c>.</summary>
internal sealed record NetworkStats(
    [property: JsonPropertyName("rx_bytes")] ulong RxBytes,
    [property: JsonPropertyName("tx_bytes")] ulong TxBytes);
