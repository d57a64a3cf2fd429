using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Access;

/// <summary>
/// Why a principal may do what it may on one repository: the result as the authorizer decides it (the same code the
/// registry, the API and the UI ask) and every rule that contributes to it. Built by
/// <see cref="AccessAuthorizer.ExplainRepositoryAccessAsync"/>.
/// </summary>
internal sealed record RepositoryAccessExplanation
{
    public required Principal Principal { get; init; }

    /// <summary>False for a deactivated account: it gets nothing, not even public pulls.</summary>
    public required bool IsActive { get; init; }

    /// <summary>False before the first push: then only the namespace rules apply.</summary>
    public required bool RepositoryExists { get; init; }

    /// <summary>The role the authorizer gives (before token scopes).</summary>
    public required RepositoryRole Role { get; init; }

    /// <summary>The actions the authorizer allows (pull, push, delete).</summary>
    public required RepositoryActions Actions { get; init; }

    /// <summary>The authorizer's decisions on pull, push, delete and administer, with its reasons.</summary>
    public required IReadOnlyDictionary<Operation, Decision> Decisions { get; init; }

    /// <summary>Every rule that applies, highest role first; the role is the highest of them.</summary>
    public required IReadOnlyList<RepositoryAccessSource> Sources { get; init; }

    /// <summary>Collection grants reaching the principal: control-plane rights only, listed because they are not repository rights.</summary>
    public required IReadOnlyList<ControlPlaneGrant> ControlPlaneGrants { get; init; }

    /// <summary>The operations the explanation decides, in the order pages show them.</summary>
    public static IReadOnlyList<Operation> Operations { get; } =
        [Operation.RepositoryPull, Operation.RepositoryPush, Operation.RepositoryDelete, Operation.RepositoryAdminister];
}
