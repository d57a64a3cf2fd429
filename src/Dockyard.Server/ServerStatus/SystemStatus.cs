using Dockyard.Server.Health;

namespace Dockyard.Server.ServerStatus;

/// <summary>
/// The running server as system administrators see it on <c>/system</c> and in <c>GET /api/v1/system</c> (one
/// <see cref="SystemStatusService"/> behind both): build, uptime, backends and their readiness, schema, coordination
/// between replicas, background jobs' last runs, and the configuration with secrets masked.
/// </summary>
internal sealed record SystemStatus
{
    public required string Version { get; init; }

    public required string Commit { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required long UptimeSeconds { get; init; }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public required string DatabaseProvider { get; init; }

    /// <summary><c>filesystem</c> or <c>s3</c>.</summary>
    public required string StorageDriver { get; init; }

    /// <summary>The newest migration applied to the database; null for an empty database.</summary>
    public required string? SchemaVersion { get; init; }

    /// <summary>This build's newest migration: equal to <see cref="SchemaVersion"/> when nothing is pending.</summary>
    public required string? LatestMigration { get; init; }

    /// <summary>Migrations of this build the database lacks.</summary>
    public required IReadOnlyList<string> PendingMigrations { get; init; }

    /// <summary>True when every readiness check passed (what <c>/readyz</c> answers).</summary>
    public required bool Ready { get; init; }

    /// <summary>The readiness checks of <c>/readyz</c>: data directory, free space, database (and a separate blob root).</summary>
    public required IReadOnlyList<ReadinessCheck> Health { get; init; }

    public required CoordinationStatus Coordination { get; init; }

    public required IReadOnlyList<JobStatus> Jobs { get; init; }

    /// <summary>Every <c>Dockyard:*</c> setting that is set, secrets masked; unset ones keep their defaults.</summary>
    public required IReadOnlyList<ConfigurationSetting> Configuration { get; init; }
}
