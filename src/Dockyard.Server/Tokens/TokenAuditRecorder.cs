using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Tokens;

/// <summary>The token server's audit hook: what a registry token was asked for and what it granted.</summary>
internal static class TokenAuditRecorder
{
    /// <summary>
    /// A registry token was issued: what was asked for and what was granted. Part of a login (it changes nothing), so
    /// on a full disk the entry is deferred rather than failing the login.
    /// </summary>
    public static Task TokenIssuedAsync(this AuditTrail trail, Principal principal, IReadOnlyList<ResourceScope> requested, IssuedToken issued) =>
        trail.RecordOrDeferAsync(
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
}
