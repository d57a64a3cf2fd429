namespace Dockyard.Server.Data;

/// <summary>Which database holds the metadata index, users and audit.</summary>
public enum DatabaseProvider
{
    Sqlite,
}
