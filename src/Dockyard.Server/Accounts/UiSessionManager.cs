using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Web UI sessions as their owner and administrators manage them, on top of <see cref="UiSessionStore"/>: a user lists
/// and ends their own sessions (full rights only: a scoped token can do none of it, decided by the authorizer); a
/// system administrator signs a user out everywhere (every UI session ended, refresh tokens revoked). Changes are
/// authorized and recorded here (<see cref="AuditedOperations"/>), whichever entry point called.
/// </summary>
internal sealed class UiSessionManager(
    IDbContextFactory<DockyardDbContext> contexts,
    UiSessionStore sessions,
    IAccessAuthorizer authorizer,
    UserService users,
    AuditedOperations audited,
    TimeProvider time,
    UiSessionSignals signals)
{
    /// <summary>The calling user's sessions that are valid now, newest first.</summary>
    public async Task<IReadOnlyList<UiSessionEntity>> ListOwnAsync(Principal principal, CancellationToken cancellationToken)
    {
        var decision = await authorizer.RequireOwnAccountAsync(principal, Operation.AccountView, "Only users have sign-in sessions.", cancellationToken);
        return decision.IsAllowed ? await sessions.ListActiveAsync(principal.UserId!.Value, cancellationToken) : throw decision.Error!;
    }

    /// <summary>The calling user ends one of their sessions; ending one twice is harmless, another's is not found.</summary>
    public Task EndOwnAsync(Caller caller, long sessionId, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.SessionEnd, $"me/sessions/{sessionId}"),
            token => authorizer.RequireOwnAccountAsync(caller.Principal, Operation.AccountManage, "Only users have sign-in sessions.", token),
            async token =>
            {
                if (!await sessions.EndOwnedAsync(caller.Principal.UserId!.Value, sessionId, UiSessionEndReasons.EndedByOwner, token))
                {
                    throw DomainException.NotFound($"Session {sessionId} not found.");
                }
            },
            cancellationToken);

    /// <summary>
    /// A system administrator (or the system: <c>dockyard user signout</c>) signs <paramref name="username"/> out
    /// everywhere: every UI session ends and every refresh token is revoked. Access tokens stay; deactivating the user
    /// revokes those too.
    /// </summary>
    public Task SignOutEverywhereAsync(Caller caller, string username, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.UserSessionsEnd, $"users/{username}/sessions"),
            token => users.AuthorizeAdministerAsync(caller.Principal, username, "sign users out everywhere (end your own sessions at /me/sessions)", token),
            async token =>
            {
                await using var db = await contexts.CreateDbContextAsync(token);
                var userId = await db.Users.Where(u => u.Username == username).Select(u => (long?)u.Id).FirstOrDefaultAsync(token)
                    ?? throw DomainException.NotFound(UserService.NotFound(username));
                await UserCredentials.SignOutEverywhereAsync(db, userId, exceptSessionId: null, time.GetUtcNow(), UiSessionEndReasons.SignedOutEverywhere, token);
                signals.EndedForUser(userId);
            },
            cancellationToken);
}
