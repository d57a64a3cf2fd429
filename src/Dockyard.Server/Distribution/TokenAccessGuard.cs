using Dockyard.Server.Access;
using Dockyard.Server.Addressing;
using Dockyard.Server.Identity;
using Dockyard.Server.Tokens;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Distribution;

/// <summary>
/// Docker token authentication on <c>/v2</c>: every request carries a bearer JWT from <c>/auth/token</c>, and its
/// <c>access</c> claim must grant what the request needs. Without a valid token: 401 UNAUTHORIZED with a
/// <c>Bearer realm,service,scope</c> challenge telling the client where to get one. With a valid token that lacks
/// the scope: 401 with the same challenge plus <c>error="insufficient_scope"</c>, as CNCF Distribution and Docker Hub
/// answer (clients fetch a token for the challenged scope only after a 401, never after a 403); the body says
/// UNAUTHORIZED for an anonymous token (log in and retry) and DENIED for an authenticated one. The token is trusted for its short lifetime: a user deactivated or a token
/// revoked meanwhile is refused at the next token request, at most <see cref="AuthOptions.TokenLifetime"/> later.
/// </summary>
internal sealed class TokenAccessGuard(IOptions<AuthOptions> options, PublicUrl publicUrl) : IRegistryAccessGuard
{
    public async ValueTask<bool> AuthorizeAsync(HttpContext context, RegistryAccessRequest request)
    {
        // The authentication handler validated the bearer token (Authentication/RegistryBearerCredentials).
        context.ThrowIfAuthenticationFailed();
        var scope = ChallengeScope(request);
        if (context.GetCredential<RegistryTokenClaims>() is not { } claims)
        {
            var error = context.PresentedBadCredentials() ? "invalid_token" : null;
            await ChallengeAsync(context, scope, error, OciErrors.Unauthorized);
            return false;
        }

        if (scope is not null && !Grants(claims, scope))
        {
            await ChallengeAsync(context, scope, "insufficient_scope", claims.Principal.IsAuthenticated ? OciErrors.InsufficientScope : OciErrors.Unauthorized);
            return false;
        }

        if (request.MountFrom is { } from
            && !claims.Grants(ResourceScope.RepositoryType, from.Value, ["pull"]))
        {
            // Mounting reads the source repository; without pull there, upload instead (202), as the spec allows.
            CrossRepositoryMount.Refuse(context);
        }

        return true;
    }

    /// <summary>The scope a request needs; null for the API version check, which any valid token passes.</summary>
    private static ResourceScope? ChallengeScope(RegistryAccessRequest request)
    {
        if (request.Repository is { } repository)
        {
            return new ResourceScope(ResourceScope.RepositoryType, repository.Value, RepositoryActionNames.Of(request.Actions));
        }

        return request.Actions == RepositoryActions.None ? null : ResourceScope.Catalog;
    }

    private static bool Grants(RegistryTokenClaims claims, ResourceScope needed) =>
        claims.Grants(needed.Type, needed.Name, needed.Actions);

    /// <summary>Every refusal is a 401 with a challenge (both entries are registered with 401); they differ in the body's code.</summary>
    private async Task ChallengeAsync(HttpContext context, ResourceScope? scope, string? error, OciError entry)
    {
        var auth = options.Value;
        // Never from the request: its Host header is the client's choice (issue #14).
        var realm = string.IsNullOrEmpty(auth.Realm)
            ? publicUrl.TokenRealm ?? UriHelper.BuildAbsolute(context.Request.Scheme, context.Request.Host, context.Request.PathBase, "/auth/token")
            : auth.Realm;
        var challenge = $"Bearer realm=\"{realm}\",service=\"{auth.Service}\"";
        if (scope is not null)
        {
            challenge += $",scope=\"{scope}\"";
        }

        if (error is not null)
        {
            challenge += $",error=\"{error}\"";
        }

        context.Response.Headers.WWWAuthenticate = challenge;
        object? detail = scope is null ? null : new[] { new { type = scope.Type, name = scope.Name, action = string.Join(',', scope.Actions) } };
        await RegistryErrorWriter.WriteAsync(context, entry, message: null, detail);
    }
}
