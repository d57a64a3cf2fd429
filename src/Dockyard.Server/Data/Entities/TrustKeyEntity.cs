namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A public key an organization (or one of its teams) trusts to sign images (<c>trust_keys</c>). Its signatures count
/// while it is neither expired nor revoked. <see cref="PrivateKey"/> is set only for keys Dockyard holds to sign on a
/// caller's behalf, sealed by <c>SecretProtector</c>.
/// </summary>
internal sealed class TrustKeyEntity
{
    public long Id { get; set; }

    public long OrganizationId { get; set; }

    /// <summary>The owning team; null for an organization-wide key.</summary>
    public long? TeamId { get; set; }

    /// <summary>Lowercase, unique within the organization.</summary>
    public required string Name { get; set; }

    /// <summary><c>ecdsa-p256</c>, <c>ecdsa-p384</c>, <c>rsa-&lt;bits&gt;</c> or <c>ed25519</c>.</summary>
    public required string Algorithm { get; set; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the DER SubjectPublicKeyInfo; unique.</summary>
    public required string Fingerprint { get; set; }

    public required string PublicKeyPem { get; set; }

    /// <summary>PKCS#8 of a key Dockyard signs with, sealed; null for keys only their owners hold.</summary>
    public string? PrivateKey { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public string? RevocationReason { get; set; }
}
