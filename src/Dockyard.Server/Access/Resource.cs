using Dockyard.Registry;
using Dockyard.Server.Access.Collections;

namespace Dockyard.Server.Access;

/// <summary>
/// What an authorization question is about: a kind plus the fields that identify it. Build with the factories,
/// which set exactly the fields their kind needs.
/// </summary>
internal sealed record Resource
{
    public static readonly Resource System = new() { Kind = ResourceKind.SystemSettings };

    /// <summary>The whole audit trail (as opposed to one organization's entries).</summary>
    public static readonly Resource WholeAudit = new() { Kind = ResourceKind.Audit };

    public required ResourceKind Kind { get; init; }

    /// <summary>The repository (a repository, or the repository a webhook or policy belongs to).</summary>
    public RepositoryName? Repository { get; init; }

    /// <summary>The organization the resource belongs to (or is).</summary>
    public long? OrganizationId { get; init; }

    /// <summary>The owner of a personal access token, or the user whose account it is.</summary>
    public long? OwnerUserId { get; init; }

    /// <summary>The user account, for <see cref="ResourceKind.User"/>.</summary>
    public long? UserId { get; init; }

    /// <summary>For a new organization: whether the server lets every user create organizations (<c>AllowUserOrganizations</c>).</summary>
    public bool UsersMayCreateOrganizations { get; init; }

    /// <summary>Which policy, for <see cref="ResourceKind.Policy"/>.</summary>
    public PolicyKind? Policy { get; init; }

    /// <summary>The collection of a control-plane resource.</summary>
    public CollectionPath? Collection { get; init; }

    public static Resource ForRepository(RepositoryName repository) => new() { Kind = ResourceKind.Repository, Repository = repository };

    public static Resource ForOrganization(long organizationId) => new() { Kind = ResourceKind.Organization, OrganizationId = organizationId };

    /// <summary>An organization not created yet; <paramref name="usersMayCreate"/> is the server's <c>AllowUserOrganizations</c>.</summary>
    public static Resource NewOrganization(bool usersMayCreate) => new() { Kind = ResourceKind.Organization, UsersMayCreateOrganizations = usersMayCreate };

    public static Resource ForUser(long userId) => new() { Kind = ResourceKind.User, UserId = userId };

    public static Resource TeamOf(long organizationId) => new() { Kind = ResourceKind.Team, OrganizationId = organizationId };

    public static Resource ServiceAccountOf(long organizationId) => new() { Kind = ResourceKind.ServiceAccount, OrganizationId = organizationId };

    public static Resource PersonalToken(long ownerUserId) => new() { Kind = ResourceKind.AccessToken, OwnerUserId = ownerUserId };

    /// <summary>A user's own account (password, sign-in sessions).</summary>
    public static Resource AccountOf(long userId) => new() { Kind = ResourceKind.Account, OwnerUserId = userId };

    public static Resource ServiceAccountToken(long organizationId) => new() { Kind = ResourceKind.AccessToken, OrganizationId = organizationId };

    public static Resource OrganizationWebhook(long organizationId) => new() { Kind = ResourceKind.Webhook, OrganizationId = organizationId };

    public static Resource RepositoryWebhook(RepositoryName repository) => new() { Kind = ResourceKind.Webhook, Repository = repository };

    public static Resource OrganizationPolicy(PolicyKind policy, long organizationId) =>
        new() { Kind = ResourceKind.Policy, Policy = policy, OrganizationId = organizationId };

    public static Resource RepositoryPolicy(PolicyKind policy, RepositoryName repository) =>
        new() { Kind = ResourceKind.Policy, Policy = policy, Repository = repository };

    /// <summary>One organization's audit entries.</summary>
    public static Resource AuditOf(long organizationId) => new() { Kind = ResourceKind.Audit, OrganizationId = organizationId };

    /// <summary>A control-plane resource (node, container, service, stack, secret, route) in a collection.</summary>
    public static Resource InCollection(ResourceKind kind, CollectionPath collection)
    {
        if (!OperationKinds.IsControlPlane(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only control-plane resources live in collections.");
        }

        return new() { Kind = kind, Collection = collection };
    }
}
