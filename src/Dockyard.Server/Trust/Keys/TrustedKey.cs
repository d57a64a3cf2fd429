using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Trust.Keys;

/// <summary>One registered key as verification sees it. <see cref="Team"/> is the full <c>org/team</c> name, null for an organization-wide key.</summary>
internal sealed record TrustedKey(
    long Id,
    string Name,
    string Organization,
    string? Team,
    SignaturePublicKey PublicKey,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Why this key's signatures do not count at <paramref name="now"/> (revoked, expired), or null when they do.</summary>
    public string? Problem(DateTimeOffset now) =>
        RevokedAt is not null ? $"key {Organization}/{Name} was revoked"
        : ExpiresAt is { } expires && expires <= now ? $"key {Organization}/{Name} expired"
        : null;
}
