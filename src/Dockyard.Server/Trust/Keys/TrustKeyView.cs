using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Trust.Keys;

/// <summary>
/// A registered key as the API and the UI show it: never its private part, only whether Dockyard holds one
/// (<see cref="HeldByDockyard"/>). <see cref="Team"/> is the team's name within <see cref="Organization"/>, null for an
/// organization-wide key.
/// </summary>
internal sealed record TrustKeyView(
    long Id,
    string Organization,
    string Name,
    string? Team,
    string Algorithm,
    string Fingerprint,
    string PublicKeyPem,
    bool HeldByDockyard,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? RevocationReason)
{
    /// <summary>Revoked wins over expired: a revocation is a decision, an expiry only a date.</summary>
    public TrustKeyStatus Status(DateTimeOffset now) =>
        RevokedAt is not null ? TrustKeyStatus.Revoked
        : ExpiresAt is { } expires && expires <= now ? TrustKeyStatus.Expired
        : TrustKeyStatus.Active;

    public static TrustKeyView From(TrustKeyEntity key, string organization, string? team) => new(
        key.Id, organization, key.Name, team, key.Algorithm, key.Fingerprint, key.PublicKeyPem, key.PrivateKey is not null,
        key.CreatedBy, key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.RevokedBy, key.RevocationReason);
}
