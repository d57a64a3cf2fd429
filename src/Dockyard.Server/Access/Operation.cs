namespace Dockyard.Server.Access;

/// <summary>
/// Everything a principal may ask to do, grouped by the <see cref="ResourceKind"/> it applies to
/// (<see cref="OperationKinds.AppliesTo"/>); asking an operation of another kind is always denied.
/// </summary>
internal enum Operation
{
    // Repository: the Docker token actions, and administration (settings, grants, delete the repository).
    RepositoryPull,
    RepositoryPush,
    RepositoryDelete,
    RepositoryAdminister,

    // Organization.
    OrganizationView,
    OrganizationManage,
    OrganizationCreate,
    OrganizationLeave,

    // Team (of an organization).
    TeamView,
    TeamManage,

    // Service account (of an organization).
    ServiceAccountView,
    ServiceAccountManage,

    // Access token (a user's personal token, or a service account's).
    AccessTokenView,
    AccessTokenCreate,
    AccessTokenRevoke,

    // Account (a user's own: password, sign-in sessions).
    AccountView,
    AccountManage,

    // Webhook (of an organization or a repository).
    WebhookView,
    WebhookManage,

    // Policy (immutability rule, retention policy, quota; of an organization or a repository).
    PolicyView,
    PolicyManage,

    // Audit trail (all of it, or one organization's entries).
    AuditRead,
    AuditVerify,

    // User account (profile, administrator flag and active state; the own password is an Account operation).
    UserView,
    UserUpdate,
    UserAdminister,

    // System settings (users, LDAP, keys, server-wide jobs).
    SystemAdminister,

    // Control plane: granted through collection roles (Collections/CollectionRole).
    NodeView,
    NodeSchedule,
    NodeManage,
    ContainerView,
    ContainerLogs,
    ContainerExec,
    ContainerOperate,
    ContainerCreate,
    ContainerCreatePrivileged,
    ContainerDelete,
    ServiceView,
    ServiceCreate,
    ServiceUpdate,
    ServiceDelete,
    StackView,
    StackDeploy,
    StackRemove,
    SecretView,
    SecretManage,
    RouteView,
    RouteManage,
}
