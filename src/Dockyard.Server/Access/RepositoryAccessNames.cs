namespace Dockyard.Server.Access;

/// <summary>The wire and page names of the explanation's operations and rule kinds (<c>pull</c>, <c>team-grant</c>, …).</summary>
internal static class RepositoryAccessNames
{
    public static string Of(Operation operation) => operation switch
    {
        Operation.RepositoryPull => "pull",
        Operation.RepositoryPush => "push",
        Operation.RepositoryDelete => "delete",
        Operation.RepositoryAdminister => "administer",
        _ => operation.ToString(),
    };

    public static string Of(RepositoryAccessSourceKind kind) => kind switch
    {
        RepositoryAccessSourceKind.SystemAdministrator => "system-administrator",
        RepositoryAccessSourceKind.OwnNamespace => "own-namespace",
        RepositoryAccessSourceKind.OrganizationOwner => "organization-owner",
        RepositoryAccessSourceKind.OrganizationMember => "organization-member",
        RepositoryAccessSourceKind.ServiceAccountOrganization => "service-account-organization",
        RepositoryAccessSourceKind.UserGrant => "user-grant",
        RepositoryAccessSourceKind.TeamGrant => "team-grant",
        RepositoryAccessSourceKind.PublicVisibility => "public",
        _ => kind.ToString(),
    };

    /// <summary>A sentence saying what the rule is, for pages.</summary>
    public static string Describe(RepositoryAccessSource source) => source.Kind switch
    {
        RepositoryAccessSourceKind.SystemAdministrator => "System administrator",
        RepositoryAccessSourceKind.OwnNamespace => $"Own namespace {source.Subject}/",
        RepositoryAccessSourceKind.OrganizationOwner => $"Owner of organization {source.Subject}",
        RepositoryAccessSourceKind.OrganizationMember => $"Member of organization {source.Subject} (its default member role)",
        RepositoryAccessSourceKind.ServiceAccountOrganization => $"Service account of {source.Subject} (each token's scopes narrow it)",
        RepositoryAccessSourceKind.UserGrant => $"Grant to user {source.Subject}",
        RepositoryAccessSourceKind.TeamGrant => $"Grant to team {source.Subject}",
        RepositoryAccessSourceKind.PublicVisibility => "The repository is public",
        _ => source.Kind.ToString(),
    };
}
