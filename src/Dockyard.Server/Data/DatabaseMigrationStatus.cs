namespace Dockyard.Server.Data;

/// <summary>
/// Which migrations of the configured provider's set a database has and lacks, and which it has that this build does
/// not know (<see cref="Unknown"/>: a newer Dockyard migrated it).
/// </summary>
internal sealed record DatabaseMigrationStatus(string Provider, IReadOnlyList<string> Applied, IReadOnlyList<string> Pending)
{
    /// <summary>Applied migrations this build does not have, oldest first (also in <see cref="Applied"/>).</summary>
    public IReadOnlyList<string> Unknown { get; init; } = [];

    /// <summary>This build's newest migration of the provider's set.</summary>
    public string? Latest { get; init; }

    /// <summary>The newest migration applied to the database (its schema version), null for an empty database.</summary>
    public string? Schema => Applied.Count > 0 ? Applied[^1] : null;
}
