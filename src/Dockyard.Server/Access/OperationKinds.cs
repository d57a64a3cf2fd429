namespace Dockyard.Server.Access;

/// <summary>Which <see cref="ResourceKind"/> each <see cref="Operation"/> applies to.</summary>
internal static class OperationKinds
{
    /// <summary>The kind of resource <paramref name="operation"/> is asked of.</summary>
    public static ResourceKind KindOf(Operation operation) => operation switch
    {
        <= Operation.RepositoryAdminister => ResourceKind.Repository,
        <= Operation.OrganizationLeave => ResourceKind.Organization,
        <= Operation.TeamManage => ResourceKind.Team,
        <= Operation.ServiceAccountManage => ResourceKind.ServiceAccount,
        <= Operation.AccessTokenRevoke => ResourceKind.AccessToken,
        <= Operation.AccountManage => ResourceKind.Account,
        <= Operation.WebhookManage => ResourceKind.Webhook,
        <= Operation.PolicyManage => ResourceKind.Policy,
        <= Operation.AuditVerify => ResourceKind.Audit,
        <= Operation.UserAdminister => ResourceKind.User,
        Operation.SystemAdminister => ResourceKind.SystemSettings,
        <= Operation.NodeManage => ResourceKind.Node,
        <= Operation.ContainerDelete => ResourceKind.Container,
        <= Operation.ServiceDelete => ResourceKind.Service,
        <= Operation.StackRemove => ResourceKind.Stack,
        <= Operation.SecretManage => ResourceKind.Secret,
        _ => ResourceKind.Route,
    };

    public static bool AppliesTo(Operation operation, ResourceKind kind) => KindOf(operation) == kind;

    /// <summary>Control-plane kinds: decided by collection grants rather than by the registry's rules.</summary>
    public static bool IsControlPlane(ResourceKind kind) => kind >= ResourceKind.Node;
}
