namespace Dockyard.Control.Stats;

/// <summary>
/// One container resource sample, computed with the docker CLI's formulas (<see cref="StatsCalculator"/>).
/// </summary>
/// <param name="Read">When the engine took the sample.</param>
/// <param name="CpuPercent">CPU use in percent of one CPU × online CPUs (200 = two CPUs busy); null when not computable (no earlier sample, or a delta that is not positive).</param>
/// <param name="MemoryUsedBytes">Memory in use without the inactive page cache.</param>
/// <param name="MemoryLimitBytes">The container's memory limit (the host's memory when unlimited).</param>
/// <param name="MemoryPercent">Used / limit × 100; null when the limit is 0 (container not running).</param>
/// <param name="NetworkRxBytes">Bytes received over all interfaces; null when the container has no networks (host or none networking: show "n/a").</param>
/// <param name="NetworkTxBytes">Bytes sent over all interfaces; null like <paramref name="NetworkRxBytes"/>.</param>
/// <param name="BlockReadBytes">Block-device bytes read.</param>
/// <param name="BlockWriteBytes">Block-device bytes written.</param>
/// <param name="Pids">Processes and threads; null when the engine did not report it.</param>
public sealed record StatsSample(
    DateTimeOffset Read,
    double? CpuPercent,
    ulong MemoryUsedBytes,
    ulong MemoryLimitBytes,
    double? MemoryPercent,
    ulong? NetworkRxBytes,
    ulong? NetworkTxBytes,
    ulong BlockReadBytes,
    ulong BlockWriteBytes,
    ulong? Pids);
