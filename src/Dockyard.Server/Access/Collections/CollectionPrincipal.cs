namespace Dockyard.Server.Access.Collections;

/// <summary>
/// A caller as collection evaluation needs it: the account's current state and memberships. Build it from the
/// database (the authorizer does) — never from claims, which may be stale.
/// </summary>
internal sealed record CollectionPrincipal
{
    public static readonly CollectionPrincipal Nobody = new() { IsActive = false };

    /// <summary>False for anonymous callers and deactivated or deleted accounts.</summary>
    public required bool IsActive { get; init; }

    public bool IsAdministrator { get; init; }

    /// <summary>True when acting through an access token with scopes: such a token never carries control-plane rights.</summary>
    public bool HasTokenScopes { get; init; }

    public long? UserId { get; init; }

    public long? ServiceAccountId { get; init; }

    public IReadOnlySet<long> TeamIds { get; init; } = new HashSet<long>();

    public IReadOnlySet<long> OrganizationIds { get; init; } = new HashSet<long>();

    /// <summary>True when a grant to <paramref name="subject"/> reaches this principal.</summary>
    public bool Is(CollectionSubject subject) => subject.Kind switch
    {
        CollectionSubjectKind.User => UserId == subject.Id,
        CollectionSubjectKind.ServiceAccount => ServiceAccountId == subject.Id,
        CollectionSubjectKind.Team => UserId is not null && TeamIds.Contains(subject.Id),
        CollectionSubjectKind.Organization => UserId is not null && OrganizationIds.Contains(subject.Id),
        _ => false,
    };
}
