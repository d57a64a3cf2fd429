using System.Text.Json;
using Dockyard.Control.Stats;

namespace Dockyard.Server.Control.Stats;

/// <summary>
/// One stats sample of a container, as the API and the UI show it (the docker CLI's formulas, see
/// <c>StatsCalculator</c>). Network figures are null ("n/a") when the container uses host or none networking.
/// </summary>
/// <param name="Time">When the engine took the sample.</param>
/// <param name="CpuPercent">CPU in percent of one CPU (200 = two busy CPUs); null for the first sample of a stream.</param>
/// <param name="MemoryUsed">Bytes in use without the inactive page cache.</param>
/// <param name="MemoryLimit">The container's memory limit (the host's memory when unlimited).</param>
/// <param name="MemoryPercent">Used / limit × 100; null when there is no limit to compare with.</param>
/// <param name="NetworkRx">Bytes received; null with host or none networking.</param>
/// <param name="NetworkTx">Bytes sent; null with host or none networking.</param>
/// <param name="BlockRead">Block-device bytes read.</param>
/// <param name="BlockWrite">Block-device bytes written.</param>
/// <param name="Pids">Processes and threads; null when the engine does not say.</param>
internal sealed record ContainerStatsView(
    DateTimeOffset Time,
    double? CpuPercent,
    ulong MemoryUsed,
    ulong MemoryLimit,
    double? MemoryPercent,
    ulong? NetworkRx,
    ulong? NetworkTx,
    ulong BlockRead,
    ulong BlockWrite,
    ulong? Pids)
{
    /// <summary>The view of <paramref name="sample"/>; <paramref name="noNetwork"/> for host or none networking.</summary>
    public static ContainerStatsView From(StatsSample sample, bool noNetwork) => new(
        sample.Read,
        sample.CpuPercent is { } cpu ? Math.Round(cpu, 2) : null,
        sample.MemoryUsedBytes,
        sample.MemoryLimitBytes,
        sample.MemoryPercent is { } memory ? Math.Round(memory, 2) : null,
        noNetwork ? null : sample.NetworkRxBytes,
        noNetwork ? null : sample.NetworkTxBytes,
        sample.BlockReadBytes,
        sample.BlockWriteBytes,
        sample.Pids);

    /// <summary>True for the network modes whose container has no network of its own to count.</summary>
    public static bool HasNoNetwork(string networkMode) =>
        networkMode is "host" or "none";

    /// <summary>Writes the same JSON the API's serializer writes for this record (camelCase, nulls kept).</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("time"u8, Time);
        WriteNumber(json, "cpuPercent"u8, CpuPercent);
        json.WriteNumber("memoryUsed"u8, MemoryUsed);
        json.WriteNumber("memoryLimit"u8, MemoryLimit);
        WriteNumber(json, "memoryPercent"u8, MemoryPercent);
        WriteNumber(json, "networkRx"u8, NetworkRx);
        WriteNumber(json, "networkTx"u8, NetworkTx);
        json.WriteNumber("blockRead"u8, BlockRead);
        json.WriteNumber("blockWrite"u8, BlockWrite);
        WriteNumber(json, "pids"u8, Pids);
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
