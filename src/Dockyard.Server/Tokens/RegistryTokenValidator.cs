using Dockyard.Server.Identity;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tokens;

/// <summary>
/// Verifies a registry bearer token: shape and header (ES256 only, see <see cref="CompactJws"/>), a known and
/// still-valid <c>kid</c>, the signature, then issuer, audience and the time window (with
/// <see cref="ClockSkew"/> for clocks of other replicas). Returns why it failed for logs, never for clients.
/// Successes are remembered in <see cref="RegistryTokenCache"/> until the token expires: a client sends the same
/// token with every request of a pull, and the signature cannot change meanwhile.
/// </summary>
internal sealed class RegistryTokenValidator(SigningKeyStore keys, RegistryTokenCache cache, IOptions<AuthOptions> options, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public async ValueTask<RegistryTokenValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (cache.TryGet(token, out var cached))
        {
            return cached;
        }

        var validation = await VerifyAsync(token, cancellationToken);
        cache.Add(token, validation);
        return validation;
    }

    private async Task<RegistryTokenValidation> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (!CompactJws.TryParse(token, out var jws))
        {
            return RegistryTokenValidation.Fail("malformed token or unsupported algorithm");
        }

        var key = await keys.FindVerificationKeyAsync(jws.Kid, cancellationToken);
        if (key is null)
        {
            return RegistryTokenValidation.Fail("unknown or expired signing key");
        }

        if (!CompactJws.Verify(jws, key))
        {
            return RegistryTokenValidation.Fail("bad signature");
        }

        if (!RegistryTokenSerializer.TryDeserialize(jws.Payload, out var claims))
        {
            return RegistryTokenValidation.Fail("malformed claims");
        }

        var auth = options.Value;
        var now = time.GetUtcNow();
        return claims switch
        {
            _ when !string.Equals(claims.Issuer, auth.Issuer, StringComparison.Ordinal) => RegistryTokenValidation.Fail("wrong issuer"),
            _ when !string.Equals(claims.Audience, auth.Service, StringComparison.Ordinal) => RegistryTokenValidation.Fail("wrong audience"),
            _ when now >= claims.ExpiresAt + ClockSkew => RegistryTokenValidation.Fail("expired"),
            _ when now + ClockSkew < claims.NotBefore => RegistryTokenValidation.Fail("not yet valid"),
            _ => RegistryTokenValidation.Success(claims),
        };
    }
}
