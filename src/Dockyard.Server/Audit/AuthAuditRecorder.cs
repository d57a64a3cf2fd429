using Dockyard.Server.Access;

namespace Dockyard.Server.Audit;

/// <summary>The authentication hook: logins, by every method. Secrets never reach the trail.</summary>
internal static class AuthAuditRecorder
{
    /// <summary>
    /// A login attempt. On failure the actor is the name the client claimed (it may not exist) and the method the
    /// one it tried; on success, the established principal and how it authenticated (password, ldap, token, …).
    /// A login changes nothing, so on a full disk its entry is deferred rather than failing the login.
    /// </summary>
    public static Task LoginAsync(this AuditTrail trail, string claimedName, string method, Principal? principal, string? failureReason) =>
        trail.RecordOrDeferAsync(
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

    private static string Truncate(string name) => name.Length > 128 ? name[..128] : name;
}
