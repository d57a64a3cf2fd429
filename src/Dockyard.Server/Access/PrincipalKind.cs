namespace Dockyard.Server.Access;

/// <summary>What kind of caller a <see cref="Principal"/> is.</summary>
internal enum PrincipalKind
{
    Anonymous,
    User,
    ServiceAccount,

    /// <summary>Dockyard itself: CLI verbs run by the operator, background jobs, first-start bootstrap. Authorized as a system administrator.</summary>
    System,
}
