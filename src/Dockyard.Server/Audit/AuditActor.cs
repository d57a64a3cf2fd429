using Dockyard.Server.Access;

namespace Dockyard.Server.Audit;

/// <summary>Who acted: <c>user</c>, <c>service_account</c>, <c>anonymous</c> or <c>system</c> (CLI, schedules).</summary>
internal readonly record struct AuditActor(string Kind, string Name, long? Id)
{
    public static readonly AuditActor Anonymous = new("anonymous", "anonymous", null);

    public static readonly AuditActor System = new("system", "system", null);

    public static AuditActor From(Principal principal) => principal.Kind switch
    {
        PrincipalKind.User => new AuditActor("user", principal.Name, principal.UserId),
        PrincipalKind.ServiceAccount => new AuditActor("service_account", principal.Name, principal.ServiceAccountId),
        PrincipalKind.System => System,
        _ => Anonymous,
    };
}
