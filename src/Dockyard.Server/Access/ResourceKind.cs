namespace Dockyard.Server.Access;

/// <summary>The kinds of things <see cref="AccessAuthorizer.MayAsync"/> decides about.</summary>
internal enum ResourceKind
{
    Repository,
    Organization,
    Team,
    ServiceAccount,
    AccessToken,

    /// <summary>A user's own account: password and sign-in sessions.</summary>
    Account,
    Webhook,

    /// <summary>An immutability rule, retention policy or storage quota (see <see cref="PolicyKind"/>).</summary>
    Policy,
    Audit,

    /// <summary>A user account.</summary>
    User,
    SystemSettings,

    // Control-plane resources: each lives in a collection (see Collections/CollectionPath).
    Node,
    Container,
    Service,
    Stack,
    Secret,
    Route,
}
