namespace Dockyard.Server.Coordination;

/// <summary>Where the registry's write locks (upload sessions, tags) live.</summary>
public enum LockMode
{
    /// <summary><see cref="Database"/> when the deployment can have several replicas (PostgreSQL or non-filesystem storage), else <see cref="Process"/>.</summary>
    Auto,

    /// <summary>In this process only: correct for a single node, and free.</summary>
    Process,

    /// <summary>Leases in the shared database, so every replica sees them (two small writes per locked request).</summary>
    Database,
}
