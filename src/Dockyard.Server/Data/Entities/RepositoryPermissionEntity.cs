namespace Dockyard.Server.Data.Entities;

/// <summary>A role on one repository granted to a user or a team.</summary>
internal sealed class RepositoryPermissionEntity
{
    public long Id { get; set; }

    public required string Repository { get; set; }

    public PermissionSubject SubjectKind { get; set; }

    /// <summary>The user's or team's id, per <see cref="SubjectKind"/>.</summary>
    public long SubjectId { get; set; }

    public RepositoryRole Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
