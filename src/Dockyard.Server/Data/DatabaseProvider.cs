namespace Dockyard.Server.Data;

/// <summary>Which database holds the metadata index, users and audit.</summary>
public enum DatabaseProvider
{
    /// <summary>A file in the data directory (default): one process, no setup.</summary>
    Sqlite,

    /// <summary>PostgreSQL (13 or later; tested on 15): what N replicas share.</summary>
    Postgres,
}
