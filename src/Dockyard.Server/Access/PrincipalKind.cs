namespace Dockyard.Server.Access;

/// <summary>What kind of caller a <see cref="Principal"/> is.</summary>
internal enum PrincipalKind
{
    Anonymous,
    User,
    ServiceAccount,
}
