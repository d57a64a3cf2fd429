using System.Globalization;
using Dockyard.Registry.Errors;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Authentication;
using Dockyard.Server.Identity;
using Dockyard.Server.Tokens;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Distribution;

/// <summary>
/// <c>/auth/token</c>, the Docker token server. GET: Basic credentials or anonymous, <c>service</c>, repeatable
/// <c>scope</c>, <c>account</c>, <c>offline_token</c>, <c>client_id</c> (the token authentication spec). POST:
/// OAuth2 form with <c>grant_type=password</c> or <c>refresh_token</c> (docker's OAuth2 flow). Failed credentials
/// never say whether the user exists: one message for every cause (unknown user, wrong password, locked out,
/// deactivated). A throttled source address is the exception: that says nothing about the account, so it is
/// answered 429 with <c>Retry-After</c> (TOOMANYREQUESTS on GET, <c>slow_down</c> on POST).
/// </summary>
internal static partial class TokenEndpoints
{
    public const string Path = "/auth/token";

    private const string BadCredentials = "invalid username, password or token";
    private const string TooManyAttempts = "too many sign-in attempts from this address; retry later";

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, GetAsync).ExcludeFromDescription();
        endpoints.MapPost(Path, PostAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task GetAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var query = context.Request.Query;
        var principal = Principal.Anonymous;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!AuthorizationHeader.TryBasic(header, out var username, out var password))
            {
                await RegistryErrorWriter.WriteAsync(context, RegistryErrorCode.Unauthorized, BadCredentials);
                return;
            }

            var result = await context.RequestServices.GetRequiredService<ICredentialAuthenticator>().AuthenticateAsync(username, password, cancellationToken);
            if (result.Principal is null)
            {
                LogRefused(Logger(context), result.FailureReason ?? "unknown");
                if (result.RetryAfter is { } retryAfter)
                {
                    SetRetryAfter(context, retryAfter);
                    await RegistryErrorWriter.WriteAsync(context, RegistryErrorCode.TooManyRequests, TooManyAttempts);
                    return;
                }

                await RegistryErrorWriter.WriteAsync(context, RegistryErrorCode.Unauthorized, BadCredentials);
                return;
            }

            if (query["account"].ToString() is { Length: > 0 } account && !string.Equals(account.Trim(), username.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                await RegistryErrorWriter.WriteAsync(context, OciErrors.TokenAccountMismatch);
                return;
            }

            principal = result.Principal;
        }

        if (Validate(context, query["service"], query["scope"], out var scopes) is { } problem)
        {
            await RegistryErrorWriter.WriteAsync(context, OciErrors.TokenRequestUnsupported, problem);
            return;
        }

        var offline = string.Equals(query["offline_token"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        await IssueAsync(context, principal, scopes, offline, query["client_id"].ToString());
    }

    private static async Task PostAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!context.Request.HasFormContentType)
        {
            await OAuthErrorAsync(context, OAuthErrors.InvalidRequest, "expected application/x-www-form-urlencoded");
            return;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception error) when (error is InvalidDataException or IOException or BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The form reader's verdict on the body (a NUL in a value, a multipart body cut short, a body shorter
            // than its Content-Length): the client's mistake, never a 500.
            LogMalformed(Logger(context), error.Message);
            await OAuthErrorAsync(context, OAuthErrors.InvalidRequest, "malformed form body");
            return;
        }

        if (Validate(context, form["service"], form["scope"], out var scopes) is { } problem)
        {
            await OAuthErrorAsync(context, problem.StartsWith("unknown service", StringComparison.Ordinal) ? OAuthErrors.InvalidRequest : OAuthErrors.InvalidScope, problem);
            return;
        }

        var clientId = form["client_id"].ToString();
        Principal? principal;
        var offline = false;
        switch (form["grant_type"].ToString())
        {
            case "password":
                var username = form["username"].ToString();
                var password = form["password"].ToString();
                if (username.Length == 0 || password.Length == 0)
                {
                    await OAuthErrorAsync(context, OAuthErrors.InvalidRequest, "username and password are required");
                    return;
                }

                var result = await context.RequestServices.GetRequiredService<ICredentialAuthenticator>().AuthenticateAsync(username, password, cancellationToken);
                if (result.Principal is null)
                {
                    LogRefused(Logger(context), result.FailureReason ?? "unknown");
                    if (result.RetryAfter is { } retryAfter)
                    {
                        SetRetryAfter(context, retryAfter);
                        await OAuthErrorAsync(context, OAuthErrors.SlowDown, TooManyAttempts);
                        return;
                    }
                }

                principal = result.Principal;
                offline = form["access_type"].ToString() == "offline";
                break;
            case "refresh_token":
                var (refreshed, wait) = await RefreshAsync(context, form["refresh_token"].ToString(), cancellationToken);
                if (wait is { } refreshRetryAfter)
                {
                    SetRetryAfter(context, refreshRetryAfter);
                    await OAuthErrorAsync(context, OAuthErrors.SlowDown, TooManyAttempts);
                    return;
                }

                principal = refreshed;
                break;
            default:
                await OAuthErrorAsync(context, OAuthErrors.UnsupportedGrantType, "grant_type must be password or refresh_token");
                return;
        }

        if (principal is null)
        {
            await OAuthErrorAsync(context, OAuthErrors.InvalidGrant, BadCredentials);
            return;
        }

        await IssueAsync(context, principal, scopes, offline, clientId);
    }

    /// <summary>
    /// Refresh tokens are random, so failures count against the source address only (the trusted-proxy client
    /// address, like password sign-ins); a locked address gets how long until it may retry.
    /// </summary>
    private static async Task<(Principal? Principal, TimeSpan? RetryAfter)> RefreshAsync(HttpContext context, string secret, CancellationToken cancellationToken)
    {
        var throttle = context.RequestServices.GetRequiredService<LoginThrottle>();
        var keys = LoginKeys.For(context.RequestServices.GetRequiredService<TrustedProxies>().ClientAddress(context), null);
        if ((await throttle.CheckAsync(keys, cancellationToken)).AddressRetryAfter is { } retryAfter)
        {
            await context.RequestServices.GetRequiredService<AuditTrail>().LoginAsync("-", AuthMethods.RefreshToken, null, "locked out after repeated failures");
            return (null, retryAfter);
        }

        var principal = await context.RequestServices.GetRequiredService<RefreshTokenService>().ValidateAsync(secret, cancellationToken);
        await context.RequestServices.GetRequiredService<AuditTrail>().LoginAsync(principal?.Name ?? "-", AuthMethods.RefreshToken, principal, "invalid, expired or revoked refresh token");
        if (principal is null)
        {
            LogRefused(Logger(context), "invalid, expired or revoked refresh token");
            await throttle.RecordFailureAsync(keys, cancellationToken);
        }

        return (principal, null);
    }

    private static string? Validate(HttpContext context, string? service, Microsoft.Extensions.Primitives.StringValues scope, out IReadOnlyList<ResourceScope> scopes)
    {
        var expected = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Service;
        if (!ResourceScopeParser.TryParseAll(scope, out var parsed))
        {
            scopes = [];
            return $"malformed or unsupported scope (at most {ResourceScopeParser.MaxScopes}; repository:NAME:pull,push,delete,* or registry:catalog:*)";
        }

        scopes = parsed;
        return string.IsNullOrEmpty(service) || string.Equals(service, expected, StringComparison.Ordinal)
            ? null
            : $"unknown service; this server is \"{expected}\"";
    }

    private static async Task IssueAsync(HttpContext context, Principal principal, IReadOnlyList<ResourceScope> scopes, bool offline, string clientId)
    {
        var cancellationToken = context.RequestAborted;
        // The Host the client used counts as ours for notary GUNs (host filtering admitted it); so does the public URL's.
        var issued = await context.RequestServices.GetRequiredService<RegistryTokenIssuer>()
            .IssueAsync(principal, scopes, context.Request.Host.HasValue ? [context.Request.Host.Value] : [], cancellationToken);
        await context.RequestServices.GetRequiredService<AuditTrail>().TokenIssuedAsync(principal, scopes, issued);
        string? refresh = null;
        if (offline && RefreshTokenService.MayReceive(principal) && principal.AuthMethod != AuthMethods.RefreshToken)
        {
            refresh = await context.RequestServices.GetRequiredService<RefreshTokenService>().TryCreateAsync(principal.UserId!.Value, clientId, cancellationToken);
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        var response = new TokenResponse(
            issued.Token,
            issued.Token,
            (long)issued.ExpiresIn.TotalSeconds,
            issued.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            refresh);
        await Results.Json(response).ExecuteAsync(context);
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static Task OAuthErrorAsync(HttpContext context, OAuthErrorCode error, string description)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new OAuthError(error.Code, description), statusCode: error.Status).ExecuteAsync(context);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Dockyard.Server.Distribution.TokenEndpoints");

    [LoggerMessage(EventId = 340, Level = LogLevel.Information, Message = "Token request refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 341, Level = LogLevel.Information, Message = "Token request refused: malformed form body ({Reason})")]
    private static partial void LogMalformed(ILogger logger, string reason);
}
