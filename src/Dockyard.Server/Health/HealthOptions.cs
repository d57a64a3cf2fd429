namespace Dockyard.Server.Health;

/// <summary>Configuration section <c>Dockyard:Health</c>.</summary>
public sealed record HealthOptions
{
    public const string Section = "Dockyard:Health";

    /// <summary>
    /// <c>/readyz</c> fails when the data volume (and a filesystem blob root elsewhere) has less free space than this.
    /// 1 GiB by default: room for a typical image layer upload and the database's write-ahead log; below it a push of an
    /// ordinary layer would fail part way, so the replica should stop taking traffic before it does.
    /// </summary>
    public long MinFreeBytes { get; init; } = 1L << 30;
}
