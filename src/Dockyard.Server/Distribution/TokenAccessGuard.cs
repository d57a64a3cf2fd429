using System.Net.Http.Headers;
using Dockyard.Registry.Errors;
using Dockyard.Server.Access;
using Dockyard.Server.Identity;
using Dockyard.Server.Tokens;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Dockyard.Server.Distribution;

/// <summary>
/// Docker token authentication on <c>/v2</c>: every request carries a bearer JWT from <c>/auth/token</c>, and its
/// <c>access</c> claim must grant what the request needs. Without a valid token: 401 UNAUTHORIZED with a
/// <c>Bearer realm,service,scope</c> challenge telling the client where to get one. With a valid token that lacks
/// the scope: 401 for an anonymous token (log in and retry), 403 DENIED for an authenticated one, both with
/// <c>error="insufficient_scope"</c>. The token is trusted for its short lifetime: a user deactivated or a token
/// revoked meanwhile is refused at the next token request, at most <see cref="AuthOptions.TokenLifetime"/> later.
/// </summary>
internal sealed partial class TokenAccessGuard(RegistryTokenValidator validator, IOptions<AuthOptions> options, ILogger<TokenAccessGuard> logger) : IRegistryAccessGuard
{
    public async ValueTask<bool> AuthorizeAsync(HttpContext context, RegistryAccessRequest request)
    {
        var scope = ChallengeScope(request);
        var token = BearerToken(context);
        if (token is null)
        {
            await ChallengeAsync(context, scope, error: null, StatusCodes.Status401Unauthorized);
            return false;
        }

        var validation = await validator.ValidateAsync(token, context.RequestAborted);
        if (validation.Claims is not { } claims)
        {
            LogInvalidToken(logger, validation.Failure!);
            await ChallengeAsync(context, scope, "invalid_token", StatusCodes.Status401Unauthorized);
            return false;
        }

        context.SetRegistryPrincipal(claims.Principal);
        if (scope is not null && !Grants(claims, scope))
        {
            var status = claims.Principal.IsAuthenticated ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            await ChallengeAsync(context, scope, "insufficient_scope", status);
            return false;
        }

        if (request.MountFrom is { } from
            && !claims.Grants(ResourceScope.RepositoryType, from.Value, ["pull"]))
        {
            // Mounting reads the source repository; without pull there, upload instead (202), as the spec allows.
            var query = new Dictionary<string, StringValues>(context.Request.Query, StringComparer.Ordinal);
            query.Remove("mount");
            query.Remove("from");
            context.Request.QueryString = QueryString.Create(query);
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

    private static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return AuthenticationHeaderValue.TryParse(header, out var value)
               && string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
               && !string.IsNullOrEmpty(value.Parameter)
            ? value.Parameter
            : null;
    }

    private async Task ChallengeAsync(HttpContext context, ResourceScope? scope, string? error, int status)
    {
        var auth = options.Value;
        var realm = string.IsNullOrEmpty(auth.Realm)
            ? UriHelper.BuildAbsolute(context.Request.Scheme, context.Request.Host, context.Request.PathBase, "/auth/token")
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
        var code = status == StatusCodes.Status403Forbidden ? RegistryErrorCode.Denied : RegistryErrorCode.Unauthorized;
        var message = code == RegistryErrorCode.Denied ? "requested access to the resource is denied" : "authentication required";
        object? detail = scope is null ? null : new[] { new { type = scope.Type, name = scope.Name, action = string.Join(',', scope.Actions) } };
        await RegistryErrorWriter.WriteAsync(context, code, message, detail);
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Rejected registry bearer token: {Reason}")]
    private static partial void LogInvalidToken(ILogger logger, string reason);
}
