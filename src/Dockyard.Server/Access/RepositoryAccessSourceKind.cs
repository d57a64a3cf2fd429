namespace Dockyard.Server.Access;

/// <summary>What kind of rule gives a principal a role (or pull) on a repository (see docs/security.md, Roles).</summary>
internal enum RepositoryAccessSourceKind
{
    /// <summary>An active system administrator: everything.</summary>
    SystemAdministrator,

    /// <summary>A user's own namespace (<c>alice/…</c>): admin.</summary>
    OwnNamespace,

    /// <summary>An owner of the organization that owns the namespace: admin.</summary>
    OrganizationOwner,

    /// <summary>A member of that organization: its default member role (possibly none).</summary>
    OrganizationMember,

    /// <summary>A service account of that organization: admin, narrowed by each token's scopes.</summary>
    ServiceAccountOrganization,

    /// <summary>A grant on the repository to the user.</summary>
    UserGrant,

    /// <summary>A grant on the repository to a team the user is in.</summary>
    TeamGrant,

    /// <summary>The repository is public: anyone may pull.</summary>
    PublicVisibility,
}
