using Dockyard.Registry;

namespace Dockyard.Server.Access;

/// <summary>
/// The one authorization service: what a principal may do. Every caller — the <c>/v2</c> guard, the token
/// endpoint, the management API, the UI, later the control plane — asks here, never decides on its own.
/// </summary>
internal interface IAccessAuthorizer
{
    /// <summary>May <paramref name="principal"/> do <paramref name="operation"/> to <paramref name="resource"/>?</summary>
    Task<bool> MayAsync(Principal principal, Operation operation, Resource resource, CancellationToken cancellationToken);

    /// <summary>As <see cref="MayAsync"/>, with the rule that decided (for audit details and messages).</summary>
    Task<Decision> DecideAsync(Principal principal, Operation operation, Resource resource, CancellationToken cancellationToken);

    /// <summary>
    /// The actions <paramref name="principal"/> may take on <paramref name="repository"/>, token scopes applied.
    /// For a repository that does not exist yet, Push (with Pull) means "may create it in that namespace".
    /// </summary>
    Task<RepositoryActions> GetRepositoryActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="repositories"/>, the ones the principal may pull.</summary>
    Task<IReadOnlyList<string>> FilterPullableAsync(Principal principal, IReadOnlyList<string> repositories, CancellationToken cancellationToken);

    /// <summary>
    /// The next repositories after <paramref name="after"/> (in ordinal name order) the principal may pull, reading at
    /// most <paramref name="limit"/> that its role admits (what the catalog shows; the same rule as
    /// <see cref="GetRepositoryActionsAsync"/>).
    /// </summary>
    Task<PullableBatch> ListPullableAsync(Principal principal, string? after, int limit, CancellationToken cancellationToken);
}
