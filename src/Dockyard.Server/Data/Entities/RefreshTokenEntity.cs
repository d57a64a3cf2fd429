namespace Dockyard.Server.Data.Entities;

/// <summary>An OAuth2 refresh token handed to docker after a password login ("identity token"); stored hashed.</summary>
internal sealed class RefreshTokenEntity
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public required string Prefix { get; set; }

    public required string SecretHash { get; set; }

    public string? ClientId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
