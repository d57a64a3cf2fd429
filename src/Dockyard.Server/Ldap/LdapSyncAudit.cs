using Dockyard.Server.Access;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Ldap;

/// <summary>
/// The entries of what the directory changed, one per object, so the trail says <i>who</i> lost access and not only
/// how many: a deactivated user (<c>user.deactivate</c>) and each team membership added or removed
/// (<c>team.member.add</c> / <c>team.member.remove</c>). The actor is <c>system</c> with auth method <c>ldap</c>,
/// whoever started the run (the run's own <c>ldap.sync</c> entry names that caller).
/// </summary>
internal static class LdapSyncAudit
{
    /// <summary>An LDAP user gone from the directory (or no longer matching the user filter), deactivated.</summary>
    public static AuditEvent Deactivated(string username) => new()
    {
        Action = AuditActions.UserDeactivate,
        Actor = AuditActor.System,
        AuthMethod = AuthMethods.Ldap,
        Resource = $"users/{username}",
        Reason = "not found in the directory",
        Details = """{"source":"ldap"}""",
    };

    /// <summary>A team membership the directory's groups added or removed (<paramref name="action"/>).</summary>
    public static AuditEvent Membership(string action, string organization, string team, string username) => new()
    {
        Action = action,
        Actor = AuditActor.System,
        AuthMethod = AuthMethods.Ldap,
        Resource = $"orgs/{organization}/teams/{team}/members/{username}",
        Organization = organization,
        Details = """{"source":"ldap"}""",
    };
}
