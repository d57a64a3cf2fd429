using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Audit;

/// <summary>The authentication hooks: logins (every method) and issued registry tokens. Secrets never reach the trail.</summary>
internal static class AuthAuditRecorder
{
    /// <summary>
    /// A login attempt. On failure the actor is the name the client claimed (it may not exist) and the method the
    /// one it tried; on success, the established principal and how it authenticated (password, ldap, token, …).
    /// </summary>
    public static Task LoginAsync(this AuditTrail trail, string claimedName, string method, Principal? principal, string? failureReason) =>
        trail.RecordAsync(
            new AuditEvent
            {
                Action = principal is null ? AuditActions.LoginFailure : AuditActions.LoginSuccess,
                Outcome = principal is null ? AuditOutcomes.Failed : AuditOutcomes.Success,
                Reason = principal is null ? failureReason ?? "invalid credentials" : null,
                Actor = principal is null ? new AuditActor("user", Truncate(claimedName), null) : AuditActor.From(principal),
                AuthMethod = principal?.AuthMethod ?? method,
                Organization = principal?.Kind == PrincipalKind.ServiceAccount ? AuditEvent.NamespaceOf(principal.Name) : null,
            },
            CancellationToken.None);

    /// <summary>A registry token was issued: what was asked for and what was granted.</summary>
    public static Task TokenIssuedAsync(this AuditTrail trail, Principal principal, IReadOnlyList<ResourceScope> requested, IssuedToken issued) =>
        trail.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.TokenIssue,
                Actor = AuditActor.From(principal),
                AuthMethod = principal.AuthMethod,
                Repository = issued.Access.Count == 1 && issued.Access[0].Type == ResourceScope.RepositoryType ? issued.Access[0].Name : null,
                Details = JsonSerializer.Serialize(new
                {
                    requested = requested.Select(s => s.ToString()),
                    granted = issued.Access.Select(s => s.ToString()),
                }),
            },
            CancellationToken.None);

    private static string Truncate(string name) => name.Length > 128 ? name[..128] : name;
}
