using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Ui.Data;

/// <summary>A repository row of the repository list.</summary>
internal sealed record RepositorySummary(string Name, string? Description, RepositoryVisibility Visibility, int Tags, DateTimeOffset? LastPushedAt);
