namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// A registered key as server-side signing sees it: who owns it (organization, optional team), its state, and whether
/// Dockyard holds its private part (<see cref="SealedPrivateKey"/>, as stored: sealed PKCS#8).
/// </summary>
internal sealed record HeldSigningKey(
    long Id,
    long OrganizationId,
    string Organization,
    string Name,
    long? TeamId,
    string? Team,
    string Fingerprint,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    string? SealedPrivateKey)
{
    /// <summary><c>org/name</c>, as the API and the CLI name it.</summary>
    public string FullName => $"{Organization}/{Name}";

    /// <summary>Why the key may not sign at <paramref name="now"/> (revoked, expired), or null when it may.</summary>
    public string? Problem(DateTimeOffset now) =>
        RevokedAt is not null ? $"key {FullName} was revoked" + (RevocationReason is { Length: > 0 } reason ? $": {reason}" : string.Empty)
        : ExpiresAt is { } expires && expires <= now ? $"key {FullName} expired at {expires:u}"
        : null;
}
