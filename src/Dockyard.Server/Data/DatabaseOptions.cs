namespace Dockyard.Server.Data;

/// <summary>Configuration section <c>Dockyard:Database</c>.</summary>
public sealed record DatabaseOptions
{
    public const string Section = "Dockyard:Database";

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>Provider connection string; empty means <c>dockyard.db</c> in the data directory.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Apply pending schema migrations at start-up.</summary>
    public bool MigrateOnStart { get; init; } = true;
}
