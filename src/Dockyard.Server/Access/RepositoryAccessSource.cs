using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Access;

/// <summary>
/// One rule that gives a principal something on a repository: its <paramref name="Kind"/>, what it names
/// (<paramref name="Subject"/>: the organization, the team, the user) and the role it brings (public visibility brings
/// pull only, shown as <c>read</c>). Listed by <see cref="AccessAuthorizer.ExplainRepositoryAccessAsync"/>.
/// </summary>
internal sealed record RepositoryAccessSource(RepositoryAccessSourceKind Kind, string Subject, RepositoryRole Role)
{
    /// <summary>The repository actions the role brings (public visibility: pull).</summary>
    public RepositoryActions Actions => Kind == RepositoryAccessSourceKind.PublicVisibility ? RepositoryActions.Pull : AccessAuthorizer.ToActions(Role);

    /// <summary>Whether the role includes administering the repository (settings, grants, webhooks).</summary>
    public bool Administers => Role == RepositoryRole.Admin && Kind != RepositoryAccessSourceKind.PublicVisibility;
}
