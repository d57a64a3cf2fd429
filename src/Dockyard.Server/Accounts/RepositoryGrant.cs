using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A role on a repository granted to a user or a team (by name).</summary>
internal sealed record RepositoryGrant(PermissionSubject SubjectKind, string Subject, RepositoryRole Role, DateTimeOffset CreatedAt);
