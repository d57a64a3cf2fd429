namespace Dockyard.Control.Stats;

/// <summary>
/// The docker CLI's stats arithmetic (<c>docker/cli:cli/command/container/stats_helpers.go@v28.5.2</c>), so Dockyard
/// shows the numbers <c>docker stats</c> shows.
/// </summary>
internal static class StatsCalculator
{
    public static StatsSample Calculate(StatsDocument document)
    {
        var memory = document.MemoryStats;
        var used = memory is null ? 0 : MemoryUsedWithoutCache(memory);
        var limit = memory?.Limit ?? 0;
        var (rx, tx) = Network(document.Networks);
        var (read, write) = BlockIo(document.BlkioStats);
        return new StatsSample(
            document.Read,
            CpuPercent(document.CpuStats, document.PreCpuStats),
            used,
            limit,
            limit == 0 ? null : (double)used / limit * 100.0,
            rx,
            tx,
            read,
            write,
            document.PidsStats?.Current);
    }

    /// <summary>
    /// cpuDelta / systemDelta × online CPUs × 100, only when both deltas are positive. Online CPUs is
    /// <c>online_cpus</c>, or the length of <c>percpu_usage</c> when that is 0 (older kernels). A document without an
    /// earlier sample (one-shot: empty <c>precpu_stats</c>) has no delta, so no percentage.
    /// </summary>
    internal static double? CpuPercent(CpuStats? current, CpuStats? previous)
    {
        if (current?.CpuUsage is not { } usage || previous is null || previous.SystemCpuUsage == 0)
        {
            return null;
        }

        var cpuDelta = (double)usage.TotalUsage - (previous.CpuUsage?.TotalUsage ?? 0);
        var systemDelta = (double)current.SystemCpuUsage - previous.SystemCpuUsage;
        double online = current.OnlineCpus;
        if (online == 0)
        {
            online = usage.PercpuUsage?.Length ?? 0;
        }

        return cpuDelta > 0 && systemDelta > 0 ? cpuDelta / systemDelta * online * 100.0 : null;
    }

    /// <summary>
    /// usage − <c>total_inactive_file</c> on cgroup v1 (the key exists only there), else usage − <c>inactive_file</c>
    /// (cgroup v2); each only when smaller than usage, as the CLI does.
    /// </summary>
    internal static ulong MemoryUsedWithoutCache(MemoryStats memory)
    {
        var stats = memory.Stats;
        if (stats is not null && stats.TryGetValue("total_inactive_file", out var v1) && v1 < memory.Usage)
        {
            return memory.Usage - v1;
        }

        var v2 = stats?.GetValueOrDefault("inactive_file") ?? 0;
        return v2 < memory.Usage ? memory.Usage - v2 : memory.Usage;
    }

    /// <summary>Sums <c>rx_bytes</c>/<c>tx_bytes</c> over all interfaces; null when there are none.</summary>
    internal static (ulong? Rx, ulong? Tx) Network(Dictionary<string, NetworkStats>? networks)
    {
        if (networks is null || networks.Count == 0)
        {
            return (null, null);
        }

        ulong rx = 0, tx = 0;
        foreach (var network in networks.Values)
        {
            rx += network.RxBytes;
            tx += network.TxBytes;
        }

        return (rx, tx);
    }

    /// <summary>Sums <c>io_service_bytes_recursive</c> values whose op is read or write (case-insensitive: v1 "Read", v2 "read").</summary>
    internal static (ulong Read, ulong Write) BlockIo(BlkioStats? blkio)
    {
        ulong read = 0, write = 0;
        foreach (var entry in blkio?.IoServiceBytesRecursive ?? [])
        {
            if (string.Equals(entry.Op, "read", StringComparison.OrdinalIgnoreCase))
            {
                read += entry.Value;
            }
            else if (string.Equals(entry.Op, "write", StringComparison.OrdinalIgnoreCase))
            {
                write += entry.Value;
            }
        }

        return (read, write);
    }
}
