using System.Text.Json;
using Dockyard.Control.Stats;

namespace Dockyard.Control.Tests.Stats;

public sealed class StatsCalculatorTests
{
    // Shaped like dockerd 20.10 on a cgroup v1 host (bridge network, two interfaces; percpu_usage present, online_cpus 0 as older kernels send).
    private const string CgroupV1 = """
        {"read":"2026-12-06T16:00:01.000000001Z","preread":"2026-12-06T16:00:00.000000001Z",
         "pids_stats":{"current":7},
         "blkio_stats":{"io_service_bytes_recursive":[
            {"major":8,"minor":0,"op":"Read","value":4096},{"major":8,"minor":0,"op":"Write","value":8192},
            {"major":8,"minor":0,"op":"Sync","value":12288},{"major":8,"minor":0,"op":"Async","value":0},
            {"major":8,"minor":0,"op":"Total","value":12288},{"major":8,"minor":16,"op":"Read","value":1024}],
            "io_serviced_recursive":[],"io_queue_recursive":[],"sectors_recursive":[]},
         "num_procs":0,"storage_stats":{},
         "cpu_stats":{"cpu_usage":{"total_usage":200000000,"percpu_usage":[50000000,50000000,50000000,50000000],
            "usage_in_kernelmode":10000000,"usage_in_usermode":190000000},"system_cpu_usage":10000000000,"online_cpus":0,
            "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
         "precpu_stats":{"cpu_usage":{"total_usage":100000000,"percpu_usage":[25000000,25000000,25000000,25000000],
            "usage_in_kernelmode":5000000,"usage_in_usermode":95000000},"system_cpu_usage":9000000000,"online_cpus":0,
            "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
         "memory_stats":{"usage":104857600,"max_usage":120000000,"stats":{"active_anon":1,"cache":8388608,"inactive_file":1048576,
            "total_inactive_file":4194304,"total_cache":8388608,"rss":2097152},"limit":1073741824},
         "name":"/web","id":"0123456789ab",
         "networks":{"eth0":{"rx_bytes":1000,"rx_packets":10,"rx_errors":0,"rx_dropped":0,"tx_bytes":2000,"tx_packets":20,"tx_errors":0,"tx_dropped":0},
                     "eth1":{"rx_bytes":24,"rx_packets":1,"rx_errors":0,"rx_dropped":0,"tx_bytes":48,"tx_packets":1,"tx_errors":0,"tx_dropped":0}}}
        """;

    // Shaped like dockerd 28 on a cgroup v2 host with --network none: no "networks", no percpu_usage, lower-case blkio ops.
    private const string CgroupV2 = """
        {"name":"/worker","id":"fedcba987654","read":"2026-12-06T16:00:02.5Z","preread":"2026-12-06T16:00:01.5Z",
         "pids_stats":{"current":3,"limit":4915},
         "blkio_stats":{"io_service_bytes_recursive":[{"major":254,"minor":0,"op":"read","value":300},{"major":254,"minor":0,"op":"write","value":700}],
            "io_serviced_recursive":null,"io_queue_recursive":null},
         "num_procs":0,"storage_stats":{},
         "cpu_stats":{"cpu_usage":{"total_usage":3000000000,"usage_in_kernelmode":1000000000,"usage_in_usermode":2000000000},
            "system_cpu_usage":20000000000,"online_cpus":2,"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
         "precpu_stats":{"cpu_usage":{"total_usage":2500000000,"usage_in_kernelmode":800000000,"usage_in_usermode":1700000000},
            "system_cpu_usage":18000000000,"online_cpus":2,"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
         "memory_stats":{"usage":50000000,"stats":{"anon":30000000,"file":15000000,"inactive_file":10000000,"active_file":5000000},"limit":200000000}}
        """;

    [Fact]
    public void Calculate_CgroupV1_MatchesDockerCli()
    {
        var sample = StatsCalculator.Calculate(Parse(CgroupV1));

        Assert.Equal(40.0, sample.CpuPercent!.Value, 9); // 1e8 / 1e9 × len(percpu)=4 × 100
        Assert.Equal(104857600UL - 4194304UL, sample.MemoryUsedBytes); // total_inactive_file, not inactive_file
        Assert.Equal(1073741824UL, sample.MemoryLimitBytes);
        Assert.Equal(9.375, sample.MemoryPercent!.Value, 9);
        Assert.Equal(1024UL, sample.NetworkRxBytes);
        Assert.Equal(2048UL, sample.NetworkTxBytes);
        Assert.Equal(5120UL, sample.BlockReadBytes);
        Assert.Equal(8192UL, sample.BlockWriteBytes);
        Assert.Equal(7UL, sample.Pids);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 16, 0, 1, TimeSpan.Zero), sample.Read);
    }

    [Fact]
    public void Calculate_CgroupV2NoNetworks_MatchesDockerCliAndNetworkIsNull()
    {
        var sample = StatsCalculator.Calculate(Parse(CgroupV2));

        Assert.Equal(50.0, sample.CpuPercent!.Value, 9); // 5e8 / 2e9 × online_cpus=2 × 100
        Assert.Equal(40000000UL, sample.MemoryUsedBytes);
        Assert.Equal(20.0, sample.MemoryPercent!.Value, 9);
        Assert.Null(sample.NetworkRxBytes);
        Assert.Null(sample.NetworkTxBytes);
        Assert.Equal(300UL, sample.BlockReadBytes);
        Assert.Equal(700UL, sample.BlockWriteBytes);
        Assert.Equal(3UL, sample.Pids);
    }

    [Theory]
    [InlineData(100, 100, 1000, 2000)] // no CPU used
    [InlineData(100, 200, 2000, 2000)] // system clock did not move
    [InlineData(200, 100, 1000, 2000)] // counter went backwards (container restarted)
    public void CpuPercent_DeltaNotPositive_IsNull(ulong preTotal, ulong total, ulong preSystem, ulong system)
    {
        var previous = new CpuStats(new CpuUsage(preTotal, null), preSystem, 2);
        var current = new CpuStats(new CpuUsage(total, null), system, 2);

        Assert.Null(StatsCalculator.CpuPercent(current, previous));
    }

    [Fact]
    public void Calculate_OneShotWithEmptyPrecpu_CpuIsNull()
    {
        var document = Parse(CgroupV2.Replace("\"system_cpu_usage\":18000000000", "\"system_cpu_usage\":0", StringComparison.Ordinal));

        Assert.Null(StatsCalculator.Calculate(document).CpuPercent);
    }

    [Fact]
    public void Calculate_EmptyNetworksAndStoppedContainer_NullsNotZeros()
    {
        var document = Parse("""{"read":"0001-01-01T00:00:00Z","networks":{},"memory_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":0},"precpu_stats":{}}""");

        var sample = StatsCalculator.Calculate(document);

        Assert.Null(sample.NetworkRxBytes);
        Assert.Null(sample.MemoryPercent);
        Assert.Null(sample.CpuPercent);
        Assert.Null(sample.Pids);
        Assert.Equal(0UL, sample.MemoryUsedBytes);
    }

    [Fact]
    public void MemoryUsed_InactiveFileLargerThanUsage_IsUsage()
    {
        var memory = new MemoryStats(100, 1000, new Dictionary<string, ulong> { ["inactive_file"] = 500 });

        Assert.Equal(100UL, StatsCalculator.MemoryUsedWithoutCache(memory));
    }

    private static StatsDocument Parse(string json) => JsonSerializer.Deserialize(json, StatsJsonContext.Default.StatsDocument)!;
}
