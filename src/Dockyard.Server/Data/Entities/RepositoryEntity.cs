namespace Dockyard.Server.Data.Entities;

/// <summary>A repository; created on first blob or manifest write.</summary>
internal sealed class RepositoryEntity
{
    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
