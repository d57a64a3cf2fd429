namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A long-lived secret usable as a docker login password: a user's personal access token or a service account's
/// token. Only a hash of the secret is stored; the secret is shown once at creation.
/// </summary>
internal sealed class AccessTokenEntity
{
    public long Id { get; set; }

    /// <summary>Set for a personal access token.</summary>
    public long? UserId { get; set; }

    /// <summary>Set for a service account token.</summary>
    public long? ServiceAccountId { get; set; }

    public required string Name { get; set; }

    /// <summary>The secret's public, indexed prefix (lets lookup avoid scanning; not secret).</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole secret, hex. Secrets are random and long, so a fast hash is enough.</summary>
    public required string SecretHash { get; set; }

    /// <summary>JSON array of {"repository": glob, "actions": [...]}; null means the owner's full rights.</summary>
    public string? ScopesJson { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
