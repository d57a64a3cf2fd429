namespace Dockyard.Server.Policies;

/// <summary>Reported after each repository: how far the run is and what it has deleted so far.</summary>
internal sealed record RetentionProgress(int Repositories, int Total, string Repository, int Planned, int Deleted, int Failed);
