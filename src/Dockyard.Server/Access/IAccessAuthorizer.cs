using Dockyard.Registry;

namespace Dockyard.Server.Access;

/// <summary>
/// The one authorization service: what a principal may do. Every caller — the <c>/v2</c> guard, the token
/// endpoint, the management API, later the control plane — asks here, never decides on its own.
/// </summary>
internal interface IAccessAuthorizer
{
    /// <summary>
    /// The actions <paramref name="principal"/> may take on <paramref name="repository"/>, token scopes applied.
    /// For a repository that does not exist yet, Push (with Pull) means "may create it in that namespace".
    /// </summary>
    Task<RepositoryActions> GetRepositoryActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="repositories"/>, the ones the principal may pull (what the catalog shows).</summary>
    Task<IReadOnlyList<string>> FilterPullableAsync(Principal principal, IReadOnlyList<string> repositories, CancellationToken cancellationToken);
}
