using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Identity;

/// <summary>
/// Revokes what a user signed in with, recording when: used by deactivation (every entry point: API, UI, CLI, LDAP
/// sync), password changes and "sign out everywhere". Revocation is final: nothing ever clears a
/// <c>revoked_at</c> or <c>ended_at</c>, so reactivating a user restores none of it. Runs in the caller's context
/// (and transaction, if any).
/// </summary>
internal static class UserCredentials
{
    /// <summary>Deactivation: personal access tokens, refresh tokens and UI sessions.</summary>
    public static async Task RevokeAllAsync(DockyardDbContext db, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.AccessTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await SignOutEverywhereAsync(db, userId, exceptSessionId: null, now, UiSessionEndReasons.Deactivated, cancellationToken);
    }

    /// <summary>
    /// Password change or reset, "sign out everywhere": refresh tokens (docker's password logins) and UI sessions,
    /// but for <paramref name="exceptSessionId"/> (the session that changed its own password). Access tokens are
    /// separate credentials their owner manages; they stay.
    /// </summary>
    public static async Task SignOutEverywhereAsync(DockyardDbContext db, long userId, long? exceptSessionId, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        await db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        var sessions = db.UiSessions.Where(x => x.UserId == userId && x.EndedAt == null);
        if (exceptSessionId is { } kept)
        {
            sessions = sessions.Where(x => x.Id != kept);
        }

        await sessions.ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
    }
}
