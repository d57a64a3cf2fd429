using System.Security.Cryptography;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Identity;

/// <summary>
/// Server-side records of web UI sessions (<c>ui_sessions</c>). The cookie carries a random secret; the row, found by
/// the secret's hash, decides on every request whether the session is still valid: not ended (sign-out, password
/// change or reset, deactivation, its owner or an administrator ended it), within its idle and absolute lifetimes,
/// and its user active. Ended rows are never revived. Authorization and audit of ending someone's sessions are the
/// caller's (<c>Accounts/UiSessionManager</c>).
/// </summary>
internal sealed class UiSessionStore(IDbContextFactory<DockyardDbContext> contexts, IOptions<UiSessionLifetimeOptions> lifetimes, TimeProvider time, UiSessionSignals signals)
{
    /// <summary>How stale <c>last_seen_at</c> may get: a request writes it at most this often, so requests stay cheap.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    /// <summary>How long ended sessions are kept before <see cref="PruneAsync"/> deletes them.</summary>
    public static readonly TimeSpan KeepEnded = TimeSpan.FromDays(30);

    public const int MaxUserAgentLength = 256;
    private const int MaxAddressLength = 64;

    /// <summary>Starts a session for a user who just proved who they are; returns its id and the cookie's secret.</summary>
    public async Task<(long Id, string Secret)> CreateAsync(long userId, string authMethod, string? address, string? userAgent, CancellationToken cancellationToken)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var session = new UiSessionEntity
        {
            UserId = userId,
            SecretHash = SecretToken.HashOf(secret),
            AuthMethod = authMethod,
            CreatedAt = now,
            LastSeenAt = now,
            Address = Truncate(address, MaxAddressLength),
            UserAgent = Truncate(userAgent, MaxUserAgentLength),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.UiSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return (session.Id, secret);
    }

    /// <summary>
    /// The session a cookie's secret stands for, if it is valid now (see the class remarks); null otherwise. A session
    /// found past its lifetime is ended (<see cref="UiSessionEndReasons.Expired"/>). Updates <c>last_seen_at</c> at most
    /// once per <see cref="LastSeenResolution"/>.
    /// </summary>
    public async Task<ActiveUiSession?> ValidateAsync(string secret, CancellationToken cancellationToken)
    {
        var lifetime = lifetimes.Value;
        var hash = SecretToken.HashOf(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await (
            from s in db.UiSessions.AsNoTracking()
            join u in db.Users.AsNoTracking() on s.UserId equals u.Id
            where s.SecretHash == hash && s.EndedAt == null
            select new { s.Id, s.UserId, s.CreatedAt, s.LastSeenAt, s.AuthMethod, u.Username, u.IsAdmin, u.IsActive }).FirstOrDefaultAsync(cancellationToken);
        if (found is null || !found.IsActive)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - found.CreatedAt > lifetime.Absolute || now - found.LastSeenAt > lifetime.Idle + LastSeenResolution)
        {
            await EndWhereAsync(db.UiSessions.Where(s => s.Id == found.Id && s.EndedAt == null), now, UiSessionEndReasons.Expired, cancellationToken);
            return null;
        }

        if (now - found.LastSeenAt >= LastSeenResolution)
        {
            try
            {
                await db.UiSessions.Where(s => s.Id == found.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
            }
            catch (Exception error) when (OutOfSpace.Is(error))
            {
                // A stamp, not a change: on a full disk the session still holds (its idle clock catches up later).
            }
        }

        return new ActiveUiSession(found.Id, found.UserId, found.Username, found.IsAdmin, found.AuthMethod);
    }

    /// <summary>
    /// Whether session <paramref name="sessionId"/> still holds: not ended, its user active, within its absolute
    /// lifetime. The idle lifetime is not applied and <c>last_seen_at</c> not touched: this is asked by work the
    /// session keeps open (a terminal in use), not by a request.
    /// </summary>
    public async Task<bool> IsOpenAsync(long sessionId, CancellationToken cancellationToken)
    {
        var createdAfter = time.GetUtcNow() - lifetimes.Value.Absolute;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (
            from s in db.UiSessions.AsNoTracking()
            join u in db.Users.AsNoTracking() on s.UserId equals u.Id
            where s.Id == sessionId && s.EndedAt == null && u.IsActive && s.CreatedAt >= createdAfter
            select s.Id).AnyAsync(cancellationToken);
    }

    /// <summary>The user's sessions that are valid now, newest first.</summary>
    public async Task<IReadOnlyList<UiSessionEntity>> ListActiveAsync(long userId, CancellationToken cancellationToken)
    {
        var lifetime = lifetimes.Value;
        var now = time.GetUtcNow();
        var createdAfter = now - lifetime.Absolute;
        var seenAfter = now - lifetime.Idle - LastSeenResolution;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UiSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.CreatedAt >= createdAfter && s.LastSeenAt >= seenAfter)
            .OrderByDescending(s => s.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Ends one session (sign-out); ending an ended one changes nothing.</summary>
    public async Task EndAsync(long sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await EndWhereAsync(db.UiSessions.Where(s => s.Id == sessionId && s.EndedAt == null), time.GetUtcNow(), reason, cancellationToken);
        signals.Ended(sessionId);
    }

    /// <summary>Ends one of <paramref name="userId"/>'s sessions; false when the user has no such session (ended ones count: ending twice is harmless).</summary>
    public async Task<bool> EndOwnedAsync(long userId, long sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.UiSessions.AnyAsync(s => s.Id == sessionId && s.UserId == userId, cancellationToken))
        {
            return false;
        }

        await EndWhereAsync(db.UiSessions.Where(s => s.Id == sessionId && s.EndedAt == null), time.GetUtcNow(), reason, cancellationToken);
        signals.Ended(sessionId);
        return true;
    }

    /// <summary>
    /// Deletes sessions that ended, or went idle past their lifetime, more than <see cref="KeepEnded"/> ago (until then
    /// the rows are history: when and from where the user was signed in). Run by the hourly maintenance job.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - KeepEnded;
        var idleBefore = before - lifetimes.Value.Idle;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UiSessions.Where(s => s.EndedAt < before || s.LastSeenAt < idleBefore).ExecuteDeleteAsync(cancellationToken);
    }

    private static Task<int> EndWhereAsync(IQueryable<UiSessionEntity> sessions, DateTimeOffset now, string reason, CancellationToken cancellationToken) =>
        sessions.ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Truncate(string? value, int length) => string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
