namespace Dockyard.Server.Data.Entities;

/// <summary>A token-signing key pair. The newest active key signs; retired keys still verify until their tokens expire.</summary>
internal sealed class SigningKeyEntity
{
    public required string Kid { get; set; }

    /// <summary>JWS algorithm, e.g. ES256.</summary>
    public required string Algorithm { get; set; }

    /// <summary>PKCS#8 PEM of the private key, sealed with the secrets key (<c>dy1:…</c>, see Protection/SecretProtector).</summary>
    public required string PrivateKeyPem { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }
}
