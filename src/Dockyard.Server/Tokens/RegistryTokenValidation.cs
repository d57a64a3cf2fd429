namespace Dockyard.Server.Tokens;

/// <summary>The outcome of <see cref="RegistryTokenValidator"/>; <see cref="Failure"/> is for logs only.</summary>
internal sealed record RegistryTokenValidation(RegistryTokenClaims? Claims, string? Failure)
{
    public static RegistryTokenValidation Success(RegistryTokenClaims claims) => new(claims, null);

    public static RegistryTokenValidation Fail(string reason) => new(null, reason);
}
