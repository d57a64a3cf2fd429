using System.Text.Json;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Ldap;

/// <summary>The audit entry of a directory sync run.</summary>
internal static class LdapSyncAudit
{
    /// <summary>A finished LDAP sync run with its counts; failed when the run could not ask the directory.</summary>
    public static AuditEvent Of(LdapSyncResult result) => new()
    {
        Action = AuditActions.LdapSync,
        Outcome = result.Error is null ? AuditOutcomes.Success : AuditOutcomes.Failed,
        Reason = result.Error,
        Resource = "ldap",
        Details = JsonSerializer.Serialize(new { result.Checked, result.Deactivated, result.TeamsAdded, result.TeamsRemoved, result.Failed }, AuditEntryResponse.JsonOptions),
    };
}
