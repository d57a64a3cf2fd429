namespace Dockyard.Server.Data;

/// <summary>Which migrations of the configured provider's set a database has and lacks.</summary>
internal sealed record DatabaseMigrationStatus(string Provider, IReadOnlyList<string> Applied, IReadOnlyList<string> Pending);
