namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A web UI sign-in session. The cookie carries a random 256-bit secret; only its SHA-256 is stored (like access
/// tokens), so a copy of the database cannot be replayed as a cookie. Every request checks the row: an ended or
/// expired session, or an inactive user, is not signed in. Rows are ended, never revived; old ones are pruned.
/// </summary>
internal sealed class UiSessionEntity
{
    /// <summary>The public handle (lists, <c>DELETE /api/v1/me/sessions/{id}</c>); not a credential.</summary>
    public long Id { get; set; }

    public long UserId { get; set; }

    /// <summary>SHA-256 of the cookie's secret, hex.</summary>
    public required string SecretHash { get; set; }

    /// <summary>How the user signed in (password, ldap).</summary>
    public required string AuthMethod { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last request seen, updated at most once a minute.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The client address at sign-in (behind a trusted proxy, the forwarded one).</summary>
    public string? Address { get; set; }

    /// <summary>The browser's User-Agent at sign-in, truncated.</summary>
    public string? UserAgent { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it ended (<c>Identity/UiSessionEndReasons</c>).</summary>
    public string? EndReason { get; set; }
}
