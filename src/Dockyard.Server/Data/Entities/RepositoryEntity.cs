namespace Dockyard.Server.Data.Entities;

/// <summary>A repository; created on first blob or manifest write.</summary>
internal sealed class RepositoryEntity
{
    public required string Name { get; set; }

    public RepositoryVisibility Visibility { get; set; } = RepositoryVisibility.Private;

    /// <summary>Markdown shown in the UI.</summary>
    public string? Description { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
